# ctorm's -Werror (CTORM_WARNINGS) is for its own tests, examples and benchmarks: a project that links
# ctorm::ctorm must never inherit it, nor any other warning flag, through the interface target.
function(ctorm_check_no_werror target)
  get_target_property(_options ${target} INTERFACE_COMPILE_OPTIONS)
  if(_options AND _options MATCHES "-Werror|/WX|-W[a-z]|/W[0-9]")
    message(FATAL_ERROR "${target} passes warning flags to its users: ${_options}")
  endif()
  get_target_property(_links ${target} INTERFACE_LINK_OPTIONS)
  if(_links AND _links MATCHES "-Werror|/WX")
    message(FATAL_ERROR "${target} passes -Werror to its users' link: ${_links}")
  endif()
endfunction()
