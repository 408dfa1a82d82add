function(fathom_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
    -Wvla -Wimplicit-fallthrough -Wno-format-nonliteral)
  if(FATHOM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
