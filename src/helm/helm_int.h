/* helm: declarations shared by the files of the module. */
#ifndef FATHOM_HELM_INT_H
#define FATHOM_HELM_INT_H

#include "fathom/helm.h"

/* One rule of a .helmignore file. */
struct helmignore_rule {
    const char *pattern; /* without '!', the trailing '/' and a leading '/' */
    int negate;
    int must_dir;
    int rooted; /* matched against the whole path (began with '/' or holds one) */
    unsigned line;
};

struct fth_helmignore {
    struct helmignore_rule *rules;
    size_t len;
};

#endif
