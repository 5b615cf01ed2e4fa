# Project-wide warning set, applied per target with mcpproxy_set_warnings(target).
function(mcpproxy_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual
                                           -Wnull-dereference -Wimplicit-fallthrough)
  if(MCPPROXY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
