/* The catalogers the driver runs, in order: distro databases first, then languages. */
#include "catalog_int.h"

const struct cataloger *const cat_all[] = {
    &cat_dpkg,     &cat_apk,  &cat_rpm, &cat_npm,      &cat_python, &cat_java,
    &cat_gobinary, &cat_rust, &cat_gem, &cat_composer, &cat_dotnet, NULL,
};
