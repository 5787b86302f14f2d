# cmake -DMODE=install|subdirectory -DCTORM_SOURCE_DIR=... -DCTORM_BINARY_DIR=... -DWORK_DIR=...
#       -DCXX_COMPILER=... [-DGENERATOR=... -DMAKE_PROGRAM=... -DBUILD_TYPE=... -DSANITIZE_FLAGS="<compiler flags>"]
#       [-DHAS_POSTGRES=ON|OFF] -P ctorm_consumer_test.cmake
#
# Builds and runs a user's project against ctorm:
#   install:      cmake --install the ctorm build tree into WORK_DIR/prefix, then configure tests/consumer
#                 with CMAKE_PREFIX_PATH=WORK_DIR/prefix (find_package(ctorm REQUIRED)).
#   subdirectory: configure tests/consumer_subdir, which add_subdirectory()s the ctorm source tree.
# With HAS_POSTGRES (the ctorm build tree has ctorm::postgres) the consumer must get ctorm::postgres too and
# builds and runs consumer_pg on it; the install mode then also configures the consumer once more with libpq
# hidden, where find_package(ctorm) must still give ctorm::ctorm (SQLite users do not need libpq).
# Both use the compiler of the ctorm build tree. Used by the CTest tests install_consumer and
# subdirectory_consumer (tests/CMakeLists.txt).

foreach(var MODE CTORM_SOURCE_DIR CTORM_BINARY_DIR WORK_DIR CXX_COMPILER)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "ctorm_consumer_test.cmake: -D${var}=... is required")
  endif()
endforeach()

function(run step)
  string(REPLACE ";" " " cmdline "${ARGN}")
  message(STATUS "[${MODE}] ${step}: ${cmdline}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message("${out}")
    message(FATAL_ERROR "[${MODE}] ${step} failed (exit ${rc})")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(build_dir "${WORK_DIR}/build")

set(config_args)
if(BUILD_TYPE)
  set(config_args --config "${BUILD_TYPE}")
endif()

if(NOT HAS_POSTGRES)
  set(HAS_POSTGRES OFF)
endif()
set(configure_args -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
if(GENERATOR)
  list(APPEND configure_args -G "${GENERATOR}")
endif()
if(MAKE_PROGRAM)
  list(APPEND configure_args -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
endif()
if(BUILD_TYPE)
  list(APPEND configure_args -DCMAKE_BUILD_TYPE=${BUILD_TYPE})
endif()
if(SANITIZE_FLAGS)
  list(APPEND configure_args "-DCMAKE_CXX_FLAGS=${SANITIZE_FLAGS}")
endif()

if(MODE STREQUAL "install")
  set(prefix "${WORK_DIR}/prefix")
  run("install ctorm" "${CMAKE_COMMAND}" --install "${CTORM_BINARY_DIR}" --prefix "${prefix}" ${config_args})
  foreach(f include/ctorm/ctorm.hpp)
    if(NOT EXISTS "${prefix}/${f}")
      message(FATAL_ERROR "[install] ${prefix}/${f} was not installed")
    endif()
  endforeach()
  run("configure consumer" "${CMAKE_COMMAND}" -S "${CTORM_SOURCE_DIR}/tests/consumer" -B "${build_dir}"
      ${configure_args} "-DCMAKE_PREFIX_PATH=${prefix}" "-DCTORM_EXPECTED_PREFIX=${prefix}"
      -DCTORM_EXPECT_POSTGRES=${HAS_POSTGRES})
  if(HAS_POSTGRES)
    run("configure consumer without libpq" "${CMAKE_COMMAND}" -S "${CTORM_SOURCE_DIR}/tests/consumer"
        -B "${WORK_DIR}/build_no_libpq" ${configure_args} "-DCMAKE_PREFIX_PATH=${prefix}"
        "-DCTORM_EXPECTED_PREFIX=${prefix}" -DCTORM_EXPECT_POSTGRES=OFF -DCMAKE_DISABLE_FIND_PACKAGE_PostgreSQL=ON)
  endif()
elseif(MODE STREQUAL "subdirectory")
  run("configure consumer" "${CMAKE_COMMAND}" -S "${CTORM_SOURCE_DIR}/tests/consumer_subdir" -B "${build_dir}"
      ${configure_args} "-DCTORM_SOURCE_DIR=${CTORM_SOURCE_DIR}" -DCTORM_EXPECT_POSTGRES=${HAS_POSTGRES})
else()
  message(FATAL_ERROR "MODE must be install or subdirectory, not '${MODE}'")
endif()

run("build consumer" "${CMAKE_COMMAND}" --build "${build_dir}" ${config_args})

# Runs one of the consumer's executables (multi-config generators put it in a per-config folder).
function(run_consumer name)
  set(exe "")
  foreach(candidate "${build_dir}/${name}" "${build_dir}/${BUILD_TYPE}/${name}"
                    "${build_dir}/${name}.exe" "${build_dir}/${BUILD_TYPE}/${name}.exe")
    if(EXISTS "${candidate}" AND NOT IS_DIRECTORY "${candidate}")
      set(exe "${candidate}")
      break()
    endif()
  endforeach()
  if(NOT exe)
    message(FATAL_ERROR "[${MODE}] ${name} executable not found under ${build_dir}")
  endif()

  execute_process(COMMAND "${exe}" WORKING_DIRECTORY "${WORK_DIR}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  message("${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "[${MODE}] ${name} exited with ${rc}")
  endif()
  message(STATUS "[${MODE}] ${name} built against ctorm and ran successfully")
endfunction()

run_consumer(consumer)
if(HAS_POSTGRES)
  run_consumer(consumer_pg)
endif()
