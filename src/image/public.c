/* image: small public wrappers over module-private helpers. */
#include "image_int.h"

const char *fth_image_cache_dir(struct fth_arena *a, const struct fth_image_opts *opts)
{
    return image_cache_dir(a, opts);
}
