/* libfathom: everything. */
#ifndef FATHOM_H
#define FATHOM_H

#include "fathom/base.h"
#include "fathom/value.h"
#include "fathom/version.h"
#include "fathom/cvss.h"
#include "fathom/vulndb.h"
#include "fathom/finding.h"
#include "fathom/k8s.h"
#include "fathom/report.h"
#include "fathom/image.h"
#include "fathom/catalog.h"
#include "fathom/sbom.h"

#endif
