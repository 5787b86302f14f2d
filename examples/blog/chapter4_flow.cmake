# Chapter 4's schema evolution through the blog's command line, on a real SQLite file (or a PostgreSQL
# schema, below):
#   cmake -DCLI=<blog_cli> -DCLI_V1=<blog_cli_v1> -DWORK=<folder> -P chapter4_flow.cmake
# blog_cli_v1 (the entities before chapter 4) makes the database and writes rows; blog_cli (with
# User::social) shows the change (schema:update --dump), writes a migration, applies it, lists and checks
# it, and takes it back. Every step must keep the rows written at the start.
# With -DPG_SCHEMA=<name> the same runs on the PostgreSQL server CTORM_TEST_PG names (a URI), in that
# schema, which psql drops and creates first.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(db ${WORK}/blog.db)
if(DEFINED PG_SCHEMA)
  if(NOT "$ENV{CTORM_TEST_PG}" MATCHES "^postgres(ql)?://[^?]*$")
    message(FATAL_ERROR "CTORM_TEST_PG must be a URI without options (postgresql://...): run scripts/test.sh")
  endif()
  execute_process(COMMAND psql -q -v ON_ERROR_STOP=1 "$ENV{CTORM_TEST_PG}"
                          -c "drop schema if exists ${PG_SCHEMA} cascade; create schema ${PG_SCHEMA}"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "psql could not make the schema ${PG_SCHEMA}: ${rc}")
  endif()
  set(db "$ENV{CTORM_TEST_PG}?options=-csearch_path%3D${PG_SCHEMA}")
endif()
set(migrations ${WORK}/migrations)

# step(<name> <expected exit code> <program> args...): runs it, fails on another exit code, and leaves its
# standard output in step_out.
function(step name expected program)
  execute_process(COMMAND ${program} --db ${db} --migrations ${migrations} ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message(STATUS "${name}: exit ${rc}\n${out}${err}")
  if(NOT rc EQUAL expected)
    message(FATAL_ERROR "${name}: exit ${rc}, expected ${expected}\n${out}${err}")
  endif()
  set(step_out "${out}" PARENT_SCOPE)
endfunction()

function(expect_match name regex)
  if(NOT step_out MATCHES "${regex}")
    message(FATAL_ERROR "${name}: the output does not match '${regex}':\n${step_out}")
  endif()
endfunction()

# The rows written at the start are still there.
function(expect_rows name program)
  step("${name}: blog:stats" 0 ${program} blog:stats)
  expect_match("${name}" "users: 2, articles: 2")
endfunction()

step("v1 schema:create" 0 ${CLI_V1} schema:create --run)
step("v1 seeder:run" 0 ${CLI_V1} seeder:run)
step("v1 seeder:run" 0 ${CLI_V1} seeder:run)
expect_rows("before" ${CLI_V1})
step("v1 schema:validate" 0 ${CLI_V1} schema:validate)

# The new entities see the new field as a difference, and schema:update shows the alter table.
step("schema:validate" 1 ${CLI} schema:validate)
expect_match("schema:validate" "social_twitter")
step("schema:update --dump" 0 ${CLI} schema:update --dump)
expect_match("schema:update --dump" "alter table \"user\" add column \"social_twitter\" text;")
expect_match("schema:update --dump" "alter table \"user\" add column \"social_linkedin\" text;")

step("migration:check" 1 ${CLI} migration:check)
step("migration:create" 0 ${CLI} migration:create --name add_social)
expect_match("migration:create" "wrote .*_add_social\\.up\\.sql")
file(GLOB up_files ${migrations}/*_add_social.up.sql)
file(READ ${up_files} up_sql)
if(NOT up_sql MATCHES "add column \"social_facebook\" text")
  message(FATAL_ERROR "the migration's up step does not add social_facebook:\n${up_sql}")
endif()
step("migration:pending" 0 ${CLI} migration:pending)
expect_match("migration:pending" "_add_social")
expect_rows("after migration:create" ${CLI})

step("migration:up" 0 ${CLI} migration:up)
expect_match("migration:up" "applied .*_add_social")
step("migration:list" 0 ${CLI} migration:list)
expect_match("migration:list" "_add_social")
step("migration:check" 0 ${CLI} migration:check)
step("schema:validate" 0 ${CLI} schema:validate)
step("schema:update --dump" 0 ${CLI} schema:update --dump)
if(NOT step_out STREQUAL "")
  message(FATAL_ERROR "schema:update --dump after migration:up should print nothing:\n${step_out}")
endif()
expect_rows("after migration:up" ${CLI})
# An option's value keeps its colon (only `group:command` is split), and a rename hint for a column that
# already has its new name changes nothing.
step("schema:update --rename" 0 ${CLI} schema:update --dump --rename user.bio:bio)
# A command that fails exits 3: the tables exist already.
step("schema:create on a made database" 3 ${CLI} schema:create --run)
step("seeder:run with social" 0 ${CLI} seeder:run)

step("migration:down" 0 ${CLI} migration:down)
expect_match("migration:down" "reverted .*_add_social")
step("migration:list" 0 ${CLI} migration:list)
if(step_out MATCHES "_add_social")
  message(FATAL_ERROR "migration:list still shows the migration after migration:down:\n${step_out}")
endif()
step("v1 schema:validate after down" 0 ${CLI_V1} schema:validate)
step("v1 blog:stats after down" 0 ${CLI_V1} blog:stats)
expect_match("after migration:down" "users: 3, articles: 3")

# Bad command lines exit 2.
step("unknown command" 2 ${CLI} schema:bogus)
step("create without --dump or --run" 2 ${CLI} schema:create)
step("--help" 0 ${CLI} --help)
expect_match("--help" "migration")
step("migration:up --help" 0 ${CLI} migration:up --help)
expect_match("migration:up --help" "--to")
step("debug" 0 ${CLI} debug)
expect_match("debug" "User -> user \\(id, created_at, updated_at, full_name, email, password, bio, social_twitter")
