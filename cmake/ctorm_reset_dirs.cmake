# cmake -DDIRS=<dir>,<dir>,... -P ctorm_reset_dirs.cmake
# Empties each directory (removes and recreates it). Used as the CTest fixture that gives every test a
# clean working directory.
if(NOT DEFINED DIRS OR DIRS STREQUAL "")
  message(FATAL_ERROR "ctorm_reset_dirs.cmake: pass -DDIRS=<dir>,<dir>,...")
endif()
string(REPLACE "," ";" _dirs "${DIRS}")
foreach(dir IN LISTS _dirs)
  file(REMOVE_RECURSE "${dir}")
  file(MAKE_DIRECTORY "${dir}")
endforeach()
