/* PEP 440 internals shared with the unit tests. */
#ifndef FATHOM_VERSION_PYPI_INT_H
#define FATHOM_VERSION_PYPI_INT_H

#include "fathom/base.h"

/*
 * The normal form of a PEP 440 version, as packaging's str(Version(v)) writes it: appended to
 * out. FTH_EINVALID when v is not a valid version, FTH_ENOMEM when out cannot grow.
 */
int pypi_normalize(struct fth_buf *out, const char *v);

#endif
