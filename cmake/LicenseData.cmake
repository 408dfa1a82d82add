# The licence module's SPDX tables and reference texts, generated at build time from Debian's
# php-composer-spdx-licenses and /usr/share/common-licenses plus the npm package
# spdx-license-list in .tools/ (scripts/install-deps.sh installs all three). Nothing generated
# is committed; docs/licenses.md says where each piece comes from.
find_package(Python3 COMPONENTS Interpreter REQUIRED)
set(FATHOM_SPDX_LICENSES "/usr/share/php/data/Composer/res/spdx-licenses.json" CACHE FILEPATH
    "SPDX licence list (php-composer-spdx-licenses)")
set(FATHOM_SPDX_EXCEPTIONS "/usr/share/php/data/Composer/res/spdx-exceptions.json" CACHE FILEPATH
    "SPDX exception list (php-composer-spdx-licenses)")
set(FATHOM_COMMON_LICENSES "/usr/share/common-licenses" CACHE PATH "Debian's licence texts")
set(FATHOM_SPDX_FULL "${CMAKE_SOURCE_DIR}/.tools/node_modules/spdx-license-list/spdx-full.json"
    CACHE FILEPATH "spdx-license-list's full texts (optional)")
foreach(f ${FATHOM_SPDX_LICENSES} ${FATHOM_SPDX_EXCEPTIONS})
  if(NOT EXISTS ${f})
    message(FATAL_ERROR "${f} is missing: run scripts/install-deps.sh")
  endif()
endforeach()
set(license_deps ${FATHOM_SPDX_LICENSES} ${FATHOM_SPDX_EXCEPTIONS}
    ${CMAKE_SOURCE_DIR}/scripts/gen-license-data.py)
if(EXISTS ${FATHOM_SPDX_FULL})
  list(APPEND license_deps ${FATHOM_SPDX_FULL})
else()
  message(WARNING "${FATHOM_SPDX_FULL} is missing: the licence classifier knows only Debian's "
          "texts (run scripts/install-deps.sh)")
endif()
set(FATHOM_LICENSE_DATA_C ${CMAKE_BINARY_DIR}/src/license/spdx_ids.c)
add_custom_command(OUTPUT ${FATHOM_LICENSE_DATA_C}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/src/license
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/gen-license-data.py
          --licenses ${FATHOM_SPDX_LICENSES} --exceptions ${FATHOM_SPDX_EXCEPTIONS}
          --common ${FATHOM_COMMON_LICENSES} --full ${FATHOM_SPDX_FULL}
          --out ${FATHOM_LICENSE_DATA_C}
  DEPENDS ${license_deps}
  COMMENT "Generating the SPDX licence tables"
  VERBATIM)
target_sources(fathom_lib PRIVATE ${FATHOM_LICENSE_DATA_C})
# the generated file includes license_int.h from the source tree
set_source_files_properties(${FATHOM_LICENSE_DATA_C} PROPERTIES
  INCLUDE_DIRECTORIES ${CMAKE_SOURCE_DIR}/src/license)
