# The layers of include/ctorm, and the check that keeps them: a header may include headers of its own layer
# and of the layers below it, never of a layer above. docs/architecture.md says what each layer holds;
# keep its table and this list the same.
#
#   cmake -DROOT=<dir>/include/ctorm -P ctorm_check_layers.cmake
#
# Run by CTest as ctorm.layers (tests/CMakeLists.txt). It fails with one line per include that goes up,
# naming the header and the include, and on a header in a folder that is not in the order below.

cmake_minimum_required(VERSION 3.20)

# Bottom first. `base` is the root headers that include no other ctorm header; `entry` is every other root
# header (ctorm.hpp, orm.hpp, json.hpp). Every other layer is a folder (sub-folders belong to it).
set(CTORM_LAYERS base detail text reflect db model query sql em schema entry)
set(CTORM_BASE_HEADERS config.hpp error.hpp)

if(NOT DEFINED ROOT OR NOT IS_DIRECTORY "${ROOT}")
  message(FATAL_ERROR "usage: cmake -DROOT=<include/ctorm directory> -P ctorm_check_layers.cmake")
endif()
get_filename_component(ROOT "${ROOT}" ABSOLUTE)
string(REPLACE ";" " < " _order "${CTORM_LAYERS}")

# The layer of a path relative to ROOT: its first folder, or base / entry for a root header.
function(ctorm_layer_of rel out)
  if(rel MATCHES "^([^/]+)/")
    set(name "${CMAKE_MATCH_1}")
  elseif(rel IN_LIST CTORM_BASE_HEADERS)
    set(name base)
  else()
    set(name entry)
  endif()
  list(FIND CTORM_LAYERS "${name}" rank)
  set(${out}_name "${name}" PARENT_SCOPE)
  set(${out}_rank "${rank}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE _headers RELATIVE "${ROOT}" "${ROOT}/*.hpp" "${ROOT}/*.h")
list(SORT _headers)
set(_problems "")
set(_count 0)
foreach(header IN LISTS _headers)
  ctorm_layer_of("${header}" from)
  if(from_rank EQUAL -1)
    list(APPEND _problems "${header}: folder ${from_name}/ is not in the layer order (add it to CTORM_LAYERS in cmake/ctorm_check_layers.cmake and to docs/architecture.md)")
    math(EXPR _count "${_count} + 1")
    continue()
  endif()
  get_filename_component(dir "${header}" DIRECTORY)
  file(STRINGS "${ROOT}/${header}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]")
  foreach(line IN LISTS lines)
    if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\"")
      set(written "\"${CMAKE_MATCH_1}\"")
      if(dir STREQUAL "")
        set(target "${CMAKE_MATCH_1}")
      else()
        set(target "${dir}/${CMAKE_MATCH_1}")
      endif()
    elseif(line MATCHES "^[ \t]*#[ \t]*include[ \t]*<ctorm/([^>]+)>")
      set(written "<ctorm/${CMAKE_MATCH_1}>")
      set(target "${CMAKE_MATCH_1}")
    else()
      continue()  # a system or third-party header
    endif()
    # ROOT/target, normalised, back to a path relative to ROOT
    cmake_path(SET full NORMALIZE "${ROOT}/${target}")
    cmake_path(RELATIVE_PATH full BASE_DIRECTORY "${ROOT}" OUTPUT_VARIABLE rel)
    if(rel MATCHES "^\\.\\./" OR NOT EXISTS "${ROOT}/${rel}")
      list(APPEND _problems "${header}: includes ${written}, which is not a header under include/ctorm")
      math(EXPR _count "${_count} + 1")
      continue()
    endif()
    ctorm_layer_of("${rel}" to)
    if(to_rank GREATER from_rank)
      list(APPEND _problems "${header}: includes ${written} (${rel}): layer ${to_name} is above ${from_name}")
      math(EXPR _count "${_count} + 1")
    endif()
  endforeach()
endforeach()

if(_count GREATER 0)
  list(JOIN _problems "\n  " _text)
  message(FATAL_ERROR "ctorm: ${_count} include(s) break the layers\n  (order, bottom first: ${_order})\n  ${_text}\n")
endif()
list(LENGTH _headers _n)
message(STATUS "ctorm: ${_n} headers keep the layers (${_order})")
