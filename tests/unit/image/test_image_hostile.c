/*
 * image: hostile inputs, each generated here (python3's tarfile, GNU tar for a sparse file):
 * path traversal, symlinks and hardlinks that point outside the root, a gzip bomb, a sparse
 * 100 GiB file, a truncated layer, a tampered manifest, config and layer in a copy of an OCI
 * layout, and a corrupt index.json. Each must give the exact error or warning, never a crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fathom/image.h"

#define IMAGES FATHOM_SHARED "/data/images/"
#define ROOTFS FATHOM_SHARED "/data/rootfs/"

static char tmp[64];
static char warnings[16384];

static void sink(enum fth_log_level level, const char *module, const char *msg, void *data)
{
    size_t n = strlen(warnings);

    (void)data;
    if (level == FTH_LOG_WARN && !strcmp(module, "image"))
        snprintf(warnings + n, sizeof(warnings) - n, "%s\n", msg);
}

static void shell(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("failed: %s", cmd);
}

static const char gen_py[] =
    "import io, sys, tarfile, gzip\n"
    "def add(t, name, data=b'', **kw):\n"
    "    i = tarfile.TarInfo(name)\n"
    "    for k, v in kw.items(): setattr(i, k, v)\n"
    "    i.size = len(data) if i.type == tarfile.REGTYPE else 0\n"
    "    t.addfile(i, io.BytesIO(data) if i.size else None)\n"
    "case, out = sys.argv[1], sys.argv[2]\n"
    "if case == 'escape':\n"
    "    with tarfile.open(out, 'w:gz', format=tarfile.PAX_FORMAT) as t:\n"
    "        add(t, './')\n"
    "        t.members[-1].type = tarfile.DIRTYPE\n"
    "        add(t, 'ok.txt', b'ok')\n"
    "        add(t, '../../etc/passwd', b'root')\n"
    "        add(t, 'a/../../x', b'x')\n"
    "        add(t, 'a/../fine', b'f')\n"
    "        add(t, '/abs/file', b'a')\n"
    "        add(t, 'lnk', type=tarfile.SYMTYPE, linkname='/etc/shadow')\n"
    "        add(t, 'rel', type=tarfile.SYMTYPE, linkname='../../../../etc/shadow')\n"
    "        add(t, 'hl-out', type=tarfile.LNKTYPE, linkname='../../etc/passwd')\n"
    "        add(t, 'hl-ok', type=tarfile.LNKTYPE, linkname='/ok.txt')\n"
    "        add(t, 'dir/.wh..wh.plnk', b'')\n"
    "        add(t, 'dir/.wh.', b'')\n"
    "        add(t, 'x' * 5000, b'long')\n"
    "elif case == 'bomb':\n"
    "    class Zeros(io.RawIOBase):\n"
    "        def __init__(self, n): self.n = n\n"
    "        def readable(self): return True\n"
    "        def readinto(self, b):\n"
    "            k = min(len(b), self.n); b[:k] = bytes(k); self.n -= k; return k\n"
    "    n = 300 * 1024 * 1024\n"
    "    with tarfile.open(out, 'w:gz', compresslevel=6) as t:\n"
    "        add(t, 'small', b'hello')\n"
    "        i = tarfile.TarInfo('zero'); i.size = n\n"
    "        t.addfile(i, io.BufferedReader(Zeros(n), 1 << 20))\n";

static void gen(const char *kind, const char *out)
{
    shell("python3 %s/gen.py %s %s", tmp, kind, out);
}

static int setup(void **state)
{
    FILE *f;
    char path[128];

    (void)state;
    snprintf(tmp, sizeof(tmp), "/tmp/fathom-image-hostile.XXXXXX");
    if (!mkdtemp(tmp))
        return -1;
    snprintf(path, sizeof(path), "%s/gen.py", tmp);
    if (!(f = fopen(path, "w")))
        return -1;
    fputs(gen_py, f);
    fclose(f);
    fth_log_set_sink(sink, NULL, FTH_LOG_WARN);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    shell("rm -rf %s", tmp);
    return 0;
}

static struct fth_image *open_rootfs(const char *path)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    struct fth_image *img = NULL;
    struct fth_error err;

    opts.rootfs = 1;
    if (fth_image_open(&img, path, &opts, &err) < 0)
        fail_msg("open %s: %s", path, err.message);
    return img;
}

struct seen {
    char list[8192];
    int read_size;   /* read this many bytes of each file (0: none) */
    size_t read_max; /* fth_entry_read_all instead, with this limit */
};

static int list_visit(void *data, const struct fth_entry *e, struct fth_entry_reader *r)
{
    struct seen *s = data;
    size_t n = strlen(s->list);

    snprintf(s->list + n, sizeof(s->list) - n, "%s:%d:%llu:%s;", e->path, (int)e->type,
             (unsigned long long)e->size, e->link ? e->link : "");
    if (r && s->read_max) {
        struct fth_buf b = FTH_BUF_INIT;
        struct fth_error err;
        int rc = fth_entry_read_all(r, &b, s->read_max, &err);

        fth_buf_release(&b);
        return rc;
    }
    if (r && s->read_size) {
        char buf[16];
        long got = fth_entry_read(r, buf, (size_t)s->read_size);

        n = strlen(s->list);
        snprintf(s->list + n, sizeof(s->list) - n, "read=%ld:%.*s;", got, (int)(got > 0 ? got : 0),
                 buf);
    }
    return 0;
}

static void test_escapes(void **state)
{
    char path[128], expect[1024];
    struct fth_image *img;
    struct fth_error err;
    struct seen s;

    (void)state;
    snprintf(path, sizeof(path), "%s/escape.tar.gz", tmp);
    gen("escape", path);
    img = open_rootfs(path);
    memset(&s, 0, sizeof(s));
    warnings[0] = '\0';
    /* The 5000-byte path stops the walk at the end, after everything else was reported. */
    assert_int_equal(fth_image_walk_layer(img, 0, list_visit, &s, &err), FTH_ELIMIT);
    snprintf(expect, sizeof(expect),
             "image '%s': layer 0 (%s): entry after 'dir/.wh.' has a path longer than 4096 bytes",
             path, img->layers[0].digest);
    assert_string_equal(err.message, expect);
    assert_string_equal(s.list, "ok.txt:0:2:;fine:0:1:;abs/file:0:1:;lnk:2:0:/etc/shadow;"
                                "rel:2:0:../../../../etc/shadow;hl-ok:3:0:ok.txt;");
    snprintf(expect, sizeof(expect),
             "image '%s': layer 0 (%s): entry '../../etc/passwd' escapes the root: refused\n"
             "image '%s': layer 0 (%s): entry 'a/../../x' escapes the root: refused\n"
             "image '%s': layer 0 (%s): entry 'hl-out' is a hardlink to outside the root: "
             "refused\n"
             "image '%s': layer 0 (%s): entry 'dir/.wh.' is a whiteout of nothing: refused\n",
             path, img->layers[0].digest, path, img->layers[0].digest, path, img->layers[0].digest,
             path, img->layers[0].digest);
    assert_string_equal(warnings, expect);
    fth_image_free(img);
}

static void test_gzip_bomb(void **state)
{
    char path[128], expect[1024];
    struct fth_image *img;
    struct fth_error err;
    struct seen s;

    (void)state;
    snprintf(path, sizeof(path), "%s/bomb.tar.gz", tmp);
    gen("bomb", path);
    img = open_rootfs(path);
    /* Skipped by the walk. */
    memset(&s, 0, sizeof(s));
    assert_int_equal(fth_image_walk_layer(img, 0, list_visit, &s, &err), FTH_ELIMIT);
    snprintf(expect, sizeof(expect), "image '%s': layer 0 (%s): expands more than 100 times", path,
             img->layers[0].digest);
    assert_memory_equal(err.message, expect, strlen(expect));
    assert_non_null(strstr(err.message, "at entry 'zero': refused as a decompression bomb"));
    assert_string_equal(s.list, "small:0:5:;zero:0:314572800:;");
    /* Read by the visitor: the read fails with the same limit, and the walk passes it on. */
    memset(&s, 0, sizeof(s));
    s.read_max = (size_t)1 << 40;
    assert_int_equal(fth_image_walk_layer(img, 0, list_visit, &s, &err), FTH_ELIMIT);
    assert_memory_equal(err.message, expect, strlen(expect));
    assert_non_null(strstr(err.message, "refused as a decompression bomb"));
    /* A small limit of the visitor's own. */
    memset(&s, 0, sizeof(s));
    s.read_max = 1000;
    assert_int_equal(fth_image_walk_layer(img, 0, list_visit, &s, &err), FTH_ELIMIT);
    fth_image_free(img);
}

static void test_sparse(void **state)
{
    char path[128];
    struct fth_image *img;
    struct fth_error err;
    struct seen s;

    (void)state;
    snprintf(path, sizeof(path), "%s/sparse.tar.gz", tmp);
    shell("cd %s && truncate -s 100G huge && printf 'head' | dd of=huge conv=notrunc "
          "2>/dev/null && tar --sparse -czf sparse.tar.gz huge && rm huge",
          tmp);
    img = open_rootfs(path);
    memset(&s, 0, sizeof(s));
    s.read_size = 4;
    /* 100 GiB announced; the walk skips the holes without writing them out. */
    assert_int_equal(fth_image_walk_layer(img, 0, list_visit, &s, &err), 0);
    assert_string_equal(s.list, "huge:0:107374182400:;read=4:head;");
    fth_image_free(img);
}

static void test_truncated(void **state)
{
    char path[128], expect[1024];
    struct fth_image *img;
    struct fth_error err;
    struct seen s;

    (void)state;
    snprintf(path, sizeof(path), "%s/cut.tar.gz", tmp);
    shell("head -c 1500000 %s/alpine-minirootfs-3.20.3-x86_64.tar.gz >%s", ROOTFS, path);
    img = open_rootfs(path);
    memset(&s, 0, sizeof(s));
    assert_int_equal(fth_image_walk_layer(img, 0, list_visit, &s, &err), FTH_EINVALID);
    snprintf(expect, sizeof(expect), "image '%s': layer 0 (%s): truncated or corrupt after entry '",
             path, img->layers[0].digest);
    assert_memory_equal(err.message, expect, strlen(expect));
    fth_image_free(img);
}

/* A writable copy of the oci-alpine layout. */
static void copy_layout(const char *dst)
{
    shell("rm -rf %s && cp -r %s/oci-alpine %s && chmod -R u+w %s", dst, IMAGES, dst, dst);
}

static void test_tampered_layout(void **state)
{
    char dir[128], ref[256], expect[1024];
    struct fth_image *img = NULL;
    struct fth_error err;
    struct seen s;

    (void)state;
    snprintf(dir, sizeof(dir), "%s/layout", tmp);
    /* The manifest of 3.20.3 gains a byte. */
    copy_layout(dir);
    shell("printf ' ' "
          ">>%s/blobs/sha256/2805e874e167a52a4733a0a434d3476e339adc3df24d23542fb5b0139d224dcd",
          dir);
    snprintf(ref, sizeof(ref), "oci:%s:3.20.3", dir);
    assert_int_equal(fth_image_open(&img, ref, NULL, &err), FTH_EVERIFY);
    assert_null(img);
    snprintf(expect, sizeof(expect),
             "image '%s': manifest "
             "'sha256:2805e874e167a52a4733a0a434d3476e339adc3df24d23542fb5b0139d224dcd' does not "
             "match its digest (sha256 of the content is ",
             ref);
    assert_memory_equal(err.message, expect, strlen(expect));

    /* The config shared by the tags. */
    copy_layout(dir);
    shell("sed -i 's/amd64/arm64/' "
          "%s/blobs/sha256/85ec3644d2d21dfb4162bf9758323111fcce7d3adad29cf224e2434b2d1ad816",
          dir);
    snprintf(ref, sizeof(ref), "oci:%s:3.20.3-whiteout", dir);
    assert_int_equal(fth_image_open(&img, ref, NULL, &err), FTH_EVERIFY);
    assert_non_null(strstr(err.message, "config 'sha256:85ec3644d2d21dfb4162bf9758323111fcce7d3"
                                        "adad29cf224e2434b2d1ad816' does not match its digest"));

    /* A layer swapped for another valid layer: the walk completes, then the digest fails. */
    copy_layout(dir);
    shell("cp %s/blobs/sha256/f31cd950487589cf959d6dcba0e37c459ccad99814a8a128c3617124550d59f1 "
          "%s/blobs/sha256/0ed6b75828db599ec9ae0f3af6fd4b2c393993e0a861c599db521e8f1e9d1053",
          dir, dir);
    img = NULL;
    assert_int_equal(fth_image_open(&img, ref, NULL, &err), 0);
    memset(&s, 0, sizeof(s));
    assert_int_equal(fth_image_walk_layer(img, 2, list_visit, &s, &err), FTH_EVERIFY);
    snprintf(expect, sizeof(expect),
             "image '%s': layer 2: blob does not match its digest "
             "'sha256:0ed6b75828db599ec9ae0f3af6fd4b2c393993e0a861c599db521e8f1e9d1053' (sha256 "
             "of the content is f31cd950487589cf959d6dcba0e37c459ccad99814a8a128c3617124550d59f1)",
             ref);
    assert_string_equal(err.message, expect);
    /* The other layers are intact. */
    assert_int_equal(fth_image_walk_layer(img, 0, list_visit, &s, &err), 0);
    fth_image_free(img);

    /* A layer cut short. */
    copy_layout(dir);
    shell("truncate -s 100000 "
          "%s/blobs/sha256/b40931ee05f7899c6a99b34c64e0eee0c0b97ba8770f325e51c6186262926743",
          dir);
    snprintf(ref, sizeof(ref), "oci:%s:3.20.3", dir);
    assert_int_equal(fth_image_open(&img, ref, NULL, &err), 0);
    memset(&s, 0, sizeof(s));
    assert_int_equal(fth_image_walk_layer(img, 0, list_visit, &s, &err), FTH_EINVALID);
    snprintf(expect, sizeof(expect),
             "image '%s': layer 0 "
             "(sha256:b40931ee05f7899c6a99b34c64e0eee0c0b97ba8770f325e51c6186262926743): "
             "truncated or corrupt after entry '",
             ref);
    assert_memory_equal(err.message, expect, strlen(expect));
    fth_image_free(img);
}

static void test_corrupt_index(void **state)
{
    static const struct {
        const char *content, *message;
        int code;
    } cases[] = {
        {"{not json", "index.json is not valid JSON: line 1: ", FTH_EINVALID},
        {"[]", "index.json is not a JSON object", FTH_EINVALID},
        {"{\"manifests\": \"x\"}", "index.json lists no manifests", FTH_EINVALID},
        {"{\"manifests\": [{\"digest\": \"sha256:../../../../etc/passwd\"}]}",
         "manifest has an invalid digest 'sha256:../../../../etc/passwd'", FTH_EINVALID},
        {"{\"manifests\": [{\"digest\": \"sha256:"
         "2805e874e167a52a4733a0a434d3476e339adc3df24d23542fb5b0139d224dcd\", \"annotations\": "
         "{\"org.opencontainers.image.ref.name\": 7}}]}",
         NULL, 0},
    };
    char dir[128], ref[256], expect[512];
    struct fth_image *img;
    struct fth_error err;
    size_t i;

    (void)state;
    snprintf(dir, sizeof(dir), "%s/layout", tmp);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        FILE *f;
        char p[200];

        copy_layout(dir);
        snprintf(p, sizeof(p), "%s/index.json", dir);
        assert_non_null(f = fopen(p, "w"));
        fputs(cases[i].content, f);
        fclose(f);
        img = NULL;
        assert_int_equal(fth_image_open(&img, dir, NULL, &err), cases[i].code);
        if (cases[i].message) {
            snprintf(expect, sizeof(expect), "image '%s': %s", dir, cases[i].message);
            assert_memory_equal(err.message, expect, strlen(expect));
        } else {
            /* One untagged manifest: it is the image. */
            assert_string_equal(img->name, "");
            assert_int_equal(img->nlayers, 1);
        }
        fth_image_free(img);
    }
    /* A layout without index.json. */
    copy_layout(dir);
    shell("rm %s/index.json", dir);
    snprintf(ref, sizeof(ref), "oci:%s", dir);
    assert_int_equal(fth_image_open(&img, ref, NULL, &err), FTH_ENOTFOUND);
    snprintf(expect, sizeof(expect), "image '%s': '%s/index.json': ", ref, dir);
    assert_memory_equal(err.message, expect, strlen(expect));
}

static void test_missing(void **state)
{
    struct fth_image *img = NULL;
    struct fth_error err;

    (void)state;
    assert_int_equal(fth_image_open(&img, "/nonexistent/image.tar", NULL, &err), FTH_ENOTFOUND);
    assert_string_equal(err.message, "image '/nonexistent/image.tar': no such file or directory");
    assert_int_equal(fth_image_open(&img, "", NULL, &err), FTH_EUSAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes),         cmocka_unit_test(test_gzip_bomb),
        cmocka_unit_test(test_sparse),          cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_tampered_layout), cmocka_unit_test(test_corrupt_index),
        cmocka_unit_test(test_missing),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
