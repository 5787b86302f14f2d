# Runs the blog on the PostgreSQL server of the test run: `cmake -DBLOG=<blog> -DSCHEMA=<name> -P this`.
# A script rather than the plain command, since CTORM_TEST_PG is read when the test runs, not at configure
# time (scripts/test.sh starts a server and sets it for the run).
if(NOT DEFINED ENV{CTORM_TEST_PG} OR "$ENV{CTORM_TEST_PG}" STREQUAL "")
  message(FATAL_ERROR "CTORM_TEST_PG is not set: run scripts/test.sh, or scripts/pg_server.sh start DIR and "
                      "source DIR/env")
endif()
# The blog takes a server by URI only (anything else would be an SQLite file name to it).
if(NOT "$ENV{CTORM_TEST_PG}" MATCHES "^postgres(ql)?://")
  message(FATAL_ERROR "the blog example needs CTORM_TEST_PG as a URI (postgresql://...), not a key=value string")
endif()
execute_process(COMMAND ${BLOG} "$ENV{CTORM_TEST_PG}" --schema ${SCHEMA} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "blog on PostgreSQL failed: ${status}")
endif()
