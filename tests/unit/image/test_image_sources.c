/*
 * image: every source the shared data has (OCI layouts with tags, an index with platforms, a
 * skopeo docker-archive, real `docker save` archives, Alpine root filesystem tarballs) and a
 * root filesystem directory made here; layer walks counted against what Python's tarfile
 * reads from the same blobs, and the whiteout/opaque semantics ../shared/data/README.md states.
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

static struct fth_image *open_ok(const char *ref, const char *platform, int rootfs)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    struct fth_image *img = NULL;
    struct fth_error err;

    opts.platform = platform;
    opts.rootfs = rootfs;
    fth_error_clear(&err);
    if (fth_image_open(&img, ref, &opts, &err) < 0)
        fail_msg("open %s: %s", ref, err.message);
    return img;
}

/* What a walk saw: counts per type and a digest of the whole entry sequence. */
struct tally {
    size_t n[8];
    size_t total;
    struct fth_sha256 h;
    struct fth_image_tree *tree;
    const char *want_path; /* read this file's content into got */
    struct fth_buf got;
    int saw_root, saw_dotslash;
};

static int count_visit(void *data, const struct fth_entry *e, struct fth_entry_reader *r)
{
    struct tally *t = data;
    char line[8192];
    int n;

    t->n[e->type]++;
    t->total++;
    if (!e->path[0])
        t->saw_root = 1;
    if (e->path[0] == '/' || !strncmp(e->path, "./", 2))
        t->saw_dotslash = 1;
    n = snprintf(line, sizeof(line), "%s|%d|%llu|%s\n", e->path, (int)e->type,
                 (unsigned long long)e->size, e->link ? e->link : "");
    fth_sha256_update(&t->h, line, (size_t)n);
    if (t->tree)
        assert_int_equal(fth_image_tree_add(t->tree, e), 0);
    if (t->want_path && !strcmp(e->path, t->want_path)) {
        struct fth_error err;

        assert_non_null(r);
        if (fth_entry_read_all(r, &t->got, 1 << 20, &err) < 0)
            fail_msg("read %s: %s", e->path, err.message);
    }
    return 0;
}

static void walk(struct tally *t, struct fth_image *img, unsigned layer, char hex[65])
{
    struct fth_error err;

    assert_int_equal(fth_sha256_init(&t->h), 0);
    if (fth_image_walk_layer(img, layer, count_visit, t, &err) < 0)
        fail_msg("walk %s layer %u: %s", img->ref, layer, err.message);
    fth_sha256_final(&t->h, hex);
}

static void test_bookworm(void **state)
{
    struct fth_image *img = open_ok(IMAGES "oci-bookworm", NULL, 0);
    struct tally t;
    char hex[65];

    (void)state;
    assert_string_equal(img->transport, "oci");
    assert_string_equal(img->digest,
                        "sha256:f81810b998d81d3ca4e8790972793c67e1b6913ee382f1f157357b035d30f181");
    assert_string_equal(img->config_digest,
                        "sha256:0c815b60229aa2a181a9a1cef995f9706139c86a9d61b9892cd83437a1e5edc4");
    assert_string_equal(img->os, "linux");
    assert_string_equal(img->architecture, "amd64");
    assert_string_equal(img->variant, "");
    assert_string_equal(img->created, "2026-11-23T09:22:57.440803399Z");
    assert_string_equal(img->user, "");
    assert_int_equal(img->nenv, 1);
    assert_string_equal(img->env[0],
                        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    assert_int_equal(img->ncmd, 1);
    assert_string_equal(img->cmd[0], "/bin/bash");
    assert_int_equal(img->nentrypoint, 0);
    assert_int_equal(img->nexposed_ports, 0);
    assert_int_equal(img->nlayers, 1);
    assert_string_equal(img->layers[0].digest,
                        "sha256:c3539d8a6897af4d2a12743ad4c784fdf71405a81186cc520dc4b7a6eab6a0b6");
    assert_string_equal(img->layers[0].diff_id,
                        "sha256:33589dacf76e9014e2a30c29564b42316b72a71f6cc58e08a07c15855afb812c");
    assert_string_equal(img->layers[0].media_type, "application/vnd.oci.image.layer.v1.tar+gzip");
    assert_int_equal(img->layers[0].size, 51136786);
    assert_string_equal(img->layers[0].created_by, "umoci insert");

    memset(&t, 0, sizeof(t));
    t.got = (struct fth_buf)FTH_BUF_INIT;
    t.want_path = "etc/debian_version";
    walk(&t, img, 0, hex);
    /* python3 tarfile: 6662 members, the first the absolute "/" root (not reported). */
    assert_int_equal(t.total, 6661);
    assert_int_equal(t.n[FTH_ENTRY_FILE], 5235);
    assert_int_equal(t.n[FTH_ENTRY_DIR], 782);
    assert_int_equal(t.n[FTH_ENTRY_SYMLINK], 642);
    assert_int_equal(t.n[FTH_ENTRY_HARDLINK], 2);
    assert_int_equal(t.saw_root, 0);
    assert_int_equal(t.saw_dotslash, 0);
    assert_string_equal(t.got.ptr, "12.15\n");
    fth_buf_release(&t.got);
    fth_image_free(img);
}

static const char *const alpine_diff_ids[] = {
    "sha256:1bccf10afce5c1ffe31381419930ad565c1436eaeb1ca680494b0663e0028419",
    "sha256:373fa8852a7bd279a8a17b17a0bd99375d909c914ed164a7864b111677ddf7b2",
    "sha256:84abecadbf99800165f169c463f4762d3d582baf9845f47d69f9df4455c25eb4",
};

static void test_alpine_base(void **state)
{
    struct fth_image *img = open_ok("oci:" IMAGES "oci-alpine:3.20.3", NULL, 0);
    struct tally t;
    char hex[65];

    (void)state;
    assert_string_equal(img->name, "3.20.3");
    assert_string_equal(img->digest,
                        "sha256:2805e874e167a52a4733a0a434d3476e339adc3df24d23542fb5b0139d224dcd");
    assert_int_equal(img->nlayers, 1);
    assert_string_equal(img->layers[0].diff_id, alpine_diff_ids[0]);
    assert_string_equal(img->layers[0].created_by, "ADD alpine-minirootfs-3.20.3-x86_64.tar.gz /");
    memset(&t, 0, sizeof(t));
    t.got = (struct fth_buf)FTH_BUF_INIT;
    t.want_path = "etc/alpine-release";
    walk(&t, img, 0, hex);
    /* 518 members, the first "." (the root); the others all start with "./". */
    assert_int_equal(t.total, 517);
    assert_int_equal(t.saw_dotslash, 0);
    assert_string_equal(t.got.ptr, "3.20.3\n");
    fth_buf_release(&t.got);
    fth_image_free(img);
}

/* Walk every layer of img into one tree; per-layer entry-sequence digests into hexes. */
static struct fth_image_tree *tree_of(struct fth_image *img, struct tally *per, char (*hexes)[65])
{
    struct fth_image_tree *tree;
    unsigned i;

    assert_int_equal(fth_image_tree_new(&tree, img->nlayers), 0);
    for (i = 0; i < img->nlayers; i++) {
        memset(&per[i], 0, sizeof(per[i]));
        per[i].tree = tree;
        walk(&per[i], img, i, hexes[i]);
    }
    return tree;
}

struct paths {
    const char *want[16];
    size_t n;
};

static int collect_special(void *data, const struct fth_entry *e, struct fth_entry_reader *r)
{
    struct paths *p = data;

    (void)r;
    if (e->type == FTH_ENTRY_WHITEOUT || e->type == FTH_ENTRY_OPAQUE) {
        assert_true(p->n < 16);
        p->want[p->n++] = strdup(e->path);
    }
    return 0;
}

static void test_alpine_whiteout(void **state)
{
    struct fth_image *img = open_ok("oci:" IMAGES "oci-alpine:3.20.3-whiteout", NULL, 0);
    struct fth_image_tree *tree;
    struct tally per[3];
    char hexes[3][65];
    struct paths p = {{NULL}, 0};
    struct fth_error err;
    size_t i;

    (void)state;
    assert_int_equal(img->nlayers, 3);
    for (i = 0; i < 3; i++)
        assert_string_equal(img->layers[i].diff_id, alpine_diff_ids[i]);
    assert_string_equal(img->layers[1].created_by, "umoci repack");
    assert_string_equal(img->layers[2].created_by, "umoci repack");
    assert_int_equal(fth_image_walk_layer(img, 2, collect_special, &p, &err), 0);
    assert_int_equal(p.n, 5);
    assert_string_equal(p.want[0], "app/node_modules/minimist");
    assert_string_equal(p.want[1], "etc/motd");
    assert_string_equal(p.want[2], "etc/secret-to-delete");
    assert_string_equal(p.want[3], "opt/data/a.txt");
    assert_string_equal(p.want[4], "opt/data/b.txt");
    for (i = 0; i < p.n; i++)
        free((void *)p.want[i]);

    tree = tree_of(img, per, hexes);
    assert_int_equal(per[0].total, 517);
    assert_int_equal(per[1].total, 1182);
    assert_int_equal(per[2].total, 10);
    assert_int_equal(per[2].n[FTH_ENTRY_WHITEOUT], 5);
    /* Deleted by layer 2, still present in their own layers. */
    assert_int_equal(fth_image_tree_visible(tree, "etc/motd", 0), 0);
    assert_int_equal(fth_image_tree_hidden_by(tree, "etc/motd", 0), 2);
    assert_int_equal(fth_image_tree_visible(tree, "app/node_modules/minimist", 1), 0);
    assert_int_equal(fth_image_tree_hidden_by(tree, "app/node_modules/minimist/package.json", 1),
                     2);
    assert_int_equal(
        fth_image_tree_hidden_by(tree, "app/node_modules/minimist/example/parse.js", 1), 2);
    assert_int_equal(fth_image_tree_hidden_by(tree, "etc/secret-to-delete", 1), 2);
    assert_int_equal(fth_image_tree_hidden_by(tree, "opt/data/a.txt", 1), 2);
    assert_int_equal(fth_image_tree_hidden_by(tree, "opt/data/b.txt", 1), 2);
    /* Still there. */
    assert_int_equal(fth_image_tree_visible(tree, "opt/data/c.txt", 2), 1);
    assert_int_equal(fth_image_tree_hidden_by(tree, "opt/data/c.txt", 2), -1);
    assert_int_equal(fth_image_tree_visible(tree, "app/node_modules/semver/package.json", 1), 1);
    assert_int_equal(fth_image_tree_visible(tree, "opt/java/commons-io-2.11.0.jar", 1), 1);
    assert_int_equal(fth_image_tree_visible(tree, "etc/passwd", 0), 1);
    /* A directory layer 2 lists again replaces the lower copy of the directory itself. */
    assert_int_equal(fth_image_tree_hidden_by(tree, "opt/data", 1), 2);
    /* Not in that layer at all. */
    assert_int_equal(fth_image_tree_visible(tree, "etc/motd", 1), 0);
    fth_image_tree_free(tree);
    fth_image_free(img);
}

static void test_alpine_opaque(void **state)
{
    struct fth_image *img = open_ok("oci:" IMAGES "oci-alpine:3.20.3-opaque", NULL, 0);
    struct fth_image_tree *tree;
    struct tally per[3];
    char hexes[3][65];
    struct paths p = {{NULL}, 0};
    struct fth_error err;
    size_t i;

    (void)state;
    assert_int_equal(img->nlayers, 3);
    assert_int_equal(fth_image_walk_layer(img, 2, collect_special, &p, &err), 0);
    assert_int_equal(p.n, 3);
    assert_string_equal(p.want[0], "etc/secret-to-delete");
    assert_string_equal(p.want[1], "app/node_modules/minimist");
    assert_string_equal(p.want[2], "opt/data");
    for (i = 0; i < p.n; i++)
        free((void *)p.want[i]);
    tree = tree_of(img, per, hexes);
    assert_int_equal(per[2].n[FTH_ENTRY_OPAQUE], 1);
    assert_int_equal(per[2].n[FTH_ENTRY_WHITEOUT], 2);
    assert_int_equal(fth_image_tree_hidden_by(tree, "opt/data/a.txt", 1), 2);
    assert_int_equal(fth_image_tree_hidden_by(tree, "opt/data/b.txt", 1), 2);
    assert_int_equal(fth_image_tree_visible(tree, "opt/data/c.txt", 2), 1);
    assert_int_equal(fth_image_tree_hidden_by(tree, "etc/secret-to-delete", 1), 2);
    assert_int_equal(fth_image_tree_visible(tree, "app/node_modules/minimist/package.json", 1), 0);
    /* The opaque directory hides nothing outside itself. */
    assert_int_equal(fth_image_tree_visible(tree, "opt/java/commons-io-2.11.0.jar", 1), 1);
    assert_int_equal(fth_image_tree_visible(tree, "etc/motd", 0), 1);
    fth_image_tree_free(tree);
    fth_image_free(img);
}

static void test_alpine_l2(void **state)
{
    struct fth_image *img = open_ok("oci:" IMAGES "oci-alpine:3.20.3-l2", NULL, 0);
    struct tally t;
    char hex[65];

    (void)state;
    assert_string_equal(img->name, "3.20.3-l2");
    assert_string_equal(img->digest,
                        "sha256:3b5974d9428242429f454cc8b11c65064e67bee5fa70d035cf3dad88b71cd3b3");
    assert_int_equal(img->nlayers, 2);
    assert_string_equal(img->layers[1].digest,
                        "sha256:7dbf73c83d7a82bf63def1b458f7c166d21b10aa761c28694bc5d27402ac4135");
    assert_int_equal(img->layers[1].size, 719448);
    memset(&t, 0, sizeof(t));
    t.got = (struct fth_buf)FTH_BUF_INIT;
    t.want_path = "etc/secret-to-delete";
    walk(&t, img, 1, hex);
    assert_int_equal(t.total, 1182);
    assert_int_equal(t.n[FTH_ENTRY_WHITEOUT], 0);
    assert_true(t.got.len > 0);
    fth_buf_release(&t.got);
    fth_image_free(img);
}

/*
 * The same image as an OCI archive (tar of the layout) and as a Docker 25+ `docker save`
 * (manifest.json next to blobs/sha256/), gzip-compressed: both made here from oci-alpine.
 */
static void test_archives_made_here(void **state)
{
    static const char py[] =
        "import json, sys, tarfile\n"
        "src, out, docker = sys.argv[1], sys.argv[2], sys.argv[3] == '1'\n"
        "idx = json.load(open(src + '/index.json'))\n"
        "man = [m for m in idx['manifests'] if "
        "m['annotations']['org.opencontainers.image.ref.name']"
        " == '3.20.3-opaque'][0]\n"
        "doc = json.load(open(src + '/blobs/sha256/' + man['digest'][7:]))\n"
        "blobs = [man['digest'], doc['config']['digest']] + [l['digest'] for l in doc['layers']]\n"
        "with tarfile.open(out, 'w:gz') as t:\n"
        "    t.add(src + '/oci-layout', 'oci-layout')\n"
        "    t.add(src + '/index.json', 'index.json')\n"
        "    for b in blobs: t.add(src + '/blobs/sha256/' + b[7:], 'blobs/sha256/' + b[7:])\n"
        "    if docker:\n"
        "        import io\n"
        "        m = json.dumps([{'Config': 'blobs/sha256/' + doc['config']['digest'][7:],\n"
        "                         'RepoTags': ['research/alpine:opaque'],\n"
        "                         'Layers': ['blobs/sha256/' + l['digest'][7:] for l in "
        "doc['layers']]}]).encode()\n"
        "        i = tarfile.TarInfo('manifest.json'); i.size = len(m)\n"
        "        t.addfile(i, io.BytesIO(m))\n";
    char dir[] = "/tmp/fathom-image-arch.XXXXXX", cmd[1024], ref[256];
    struct fth_image *ref_img = open_ok("oci:" IMAGES "oci-alpine:3.20.3-opaque", NULL, 0);
    FILE *f;
    int docker;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof(cmd), "%s/gen.py", dir);
    assert_non_null(f = fopen(cmd, "w"));
    fputs(py, f);
    fclose(f);
    for (docker = 0; docker < 2; docker++) {
        struct fth_image *img;
        unsigned i;

        snprintf(cmd, sizeof(cmd), "python3 %s/gen.py %soci-alpine %s/img%d.tar.gz %d", dir, IMAGES,
                 dir, docker, docker);
        assert_int_equal(system(cmd), 0);
        snprintf(ref, sizeof(ref), "%s%s/img%d.tar.gz%s", docker ? "" : "oci-archive:", dir, docker,
                 docker ? "" : ":3.20.3-opaque");
        img = open_ok(ref, NULL, 0);
        assert_string_equal(img->transport, docker ? "docker-archive" : "oci-archive");
        assert_string_equal(img->name, docker ? "research/alpine:opaque" : "3.20.3-opaque");
        assert_string_equal(img->config_digest, ref_img->config_digest);
        assert_int_equal(img->nlayers, 3);
        for (i = 0; i < 3; i++) {
            struct tally a, b;
            char ha[65], hb[65];

            assert_string_equal(img->layers[i].digest, ref_img->layers[i].digest);
            memset(&a, 0, sizeof(a));
            memset(&b, 0, sizeof(b));
            walk(&a, img, i, ha);
            walk(&b, ref_img, i, hb);
            assert_string_equal(ha, hb);
        }
        fth_image_free(img);
    }
    fth_image_free(ref_img);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_multi_platform(void **state)
{
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    struct fth_image *img;
    struct fth_error err;

    (void)state;
    img = open_ok("oci:" IMAGES "oci-alpine-multi:3.20.3", NULL, 0);
    assert_string_equal(img->digest,
                        "sha256:022702f24811e6a639cc95e31b12088872fea047a21136646ed9a9c64616dbcc");
    assert_string_equal(img->architecture, "amd64");
    fth_image_free(img);
    img = open_ok("oci:" IMAGES "oci-alpine-multi:3.20.3", "linux/amd64", 0);
    assert_string_equal(img->digest,
                        "sha256:022702f24811e6a639cc95e31b12088872fea047a21136646ed9a9c64616dbcc");
    fth_image_free(img);
    img = open_ok("oci:" IMAGES "oci-alpine-multi:3.20.3", "linux/arm64/v8", 0);
    assert_string_equal(img->digest,
                        "sha256:23c19c93adab817aa86aabe1615a1ce2ade8d0fcadfde801f6ff824d44c9c920");
    fth_image_free(img);
    img = open_ok("oci:" IMAGES "oci-alpine-multi:3.20.3", "linux/arm64", 0);
    assert_string_equal(img->digest,
                        "sha256:23c19c93adab817aa86aabe1615a1ce2ade8d0fcadfde801f6ff824d44c9c920");
    fth_image_free(img);

    opts.platform = "linux/s390x";
    img = NULL;
    assert_int_equal(fth_image_open(&img, "oci:" IMAGES "oci-alpine-multi:3.20.3", &opts, &err),
                     FTH_ENOTFOUND);
    assert_null(img);
    assert_string_equal(err.message,
                        "image 'oci:" IMAGES "oci-alpine-multi:3.20.3': no manifest for platform "
                        "'linux/s390x' (available: linux/amd64, linux/arm64/v8)");
    opts.platform = "linux";
    assert_int_equal(fth_image_open(&img, "oci:" IMAGES "oci-alpine-multi:3.20.3", &opts, &err),
                     FTH_EUSAGE);
    /* No tag, several manifests: the tags are listed. */
    assert_int_equal(fth_image_open(&img, IMAGES "oci-alpine-multi", NULL, &err), FTH_EINVALID);
    assert_string_equal(err.message, "image '" IMAGES "oci-alpine-multi': index.json holds 3 "
                                     "manifests; name one with a tag (tags: amd64, arm64, 3.20.3)");
    assert_int_equal(fth_image_open(&img, "oci:" IMAGES "oci-alpine:nope", NULL, &err),
                     FTH_ENOTFOUND);
    assert_string_equal(err.message,
                        "image 'oci:" IMAGES "oci-alpine:nope': no tag 'nope' in index.json (tags: "
                        "3.20.3, 3.20.3-l2, 3.20.3-whiteout, 3.20.3-opaque)");
}

static void test_docker_archive_matches_oci(void **state)
{
    struct fth_image *oci = open_ok("oci:" IMAGES "oci-alpine:3.20.3-whiteout", NULL, 0);
    struct fth_image *dock = open_ok(IMAGES "alpine-3.20.3-whiteout-docker-archive.tar", NULL, 0);
    struct fth_image *dock2 =
        open_ok("docker-archive:" IMAGES "alpine-3.20.3-whiteout-docker-archive.tar", NULL, 0);
    struct tally a, b;
    char ha[65], hb[65];
    unsigned i;

    (void)state;
    assert_string_equal(dock->transport, "docker-archive");
    assert_string_equal(dock2->transport, "docker-archive");
    assert_string_equal(dock->name, "docker.io/research/alpine:3.20.3-whiteout");
    assert_string_equal(dock->config_digest, oci->config_digest);
    assert_int_equal(dock->nlayers, 3);
    for (i = 0; i < 3; i++) {
        /* skopeo names the uncompressed layers by their diff ids, checked while streaming. */
        assert_string_equal(dock->layers[i].digest, alpine_diff_ids[i]);
        assert_string_equal(dock->layers[i].diff_id, oci->layers[i].diff_id);
        assert_string_equal(dock->layers[i].created_by, oci->layers[i].created_by);
        memset(&a, 0, sizeof(a));
        memset(&b, 0, sizeof(b));
        walk(&a, oci, i, ha);
        walk(&b, dock, i, hb);
        assert_int_equal(a.total, b.total);
        assert_string_equal(ha, hb);
    }
    assert_int_equal(dock->layers[2].size, 6656);
    fth_image_free(oci);
    fth_image_free(dock);
    fth_image_free(dock2);
}

static void test_real_docker_save(void **state)
{
    static const struct {
        const char *file, *name, *diff_id, *created_by;
        size_t entries;
    } cases[] = {
        {IMAGES "real-docker-save/alpine-310.tar.gz", "alpine:3.10",
         "sha256:531743b7098cb2aaf615641007a129173f63ed86ca32fe7b5a246a1c47286028",
         "/bin/sh -c #(nop) ADD "
         "file:d48cac34fac385cbc1de6adfdd88300f76f9bbe346cd17e64fd834d042a98326"
         " in / ",
         482},
        {IMAGES "real-docker-save/alpine-311.tar.gz", "alpine:3.11",
         "sha256:beee9f30bc1f711043e78d4a2be0668955d4b761d587d6f60c2c8dc081efb203", NULL, 488},
    };
    size_t i;

    (void)state;
    for (i = 0; i < 2; i++) {
        struct fth_image *img = open_ok(cases[i].file, NULL, 0);
        struct tally t;
        char hex[65];

        assert_string_equal(img->transport, "docker-archive");
        assert_string_equal(img->name, cases[i].name);
        assert_string_equal(img->os, "linux");
        assert_int_equal(img->nlayers, 1);
        /* The legacy `<id>/layer.tar` is uncompressed: checked against its diff id. */
        assert_string_equal(img->layers[0].digest, cases[i].diff_id);
        assert_string_equal(img->layers[0].diff_id, cases[i].diff_id);
        if (cases[i].created_by)
            assert_string_equal(img->layers[0].created_by, cases[i].created_by);
        memset(&t, 0, sizeof(t));
        walk(&t, img, 0, hex);
        assert_int_equal(t.total, cases[i].entries);
        fth_image_free(img);
    }
}

static void test_rootfs_tarballs(void **state)
{
    struct fth_image *img;
    struct fth_image_opts opts = FTH_IMAGE_OPTS_INIT;
    struct fth_error err;
    struct tally t;
    char hex[65];

    (void)state;
    img = open_ok(ROOTFS "alpine-minirootfs-3.20.3-x86_64.tar.gz", NULL, 1);
    assert_string_equal(img->transport, "rootfs-archive");
    assert_int_equal(img->nlayers, 1);
    assert_string_equal(img->digest, "");
    assert_string_equal(img->layers[0].digest,
                        "sha256:d4e6fd67dcf75e40c451560ac7265166c2b72a0f38ddc9aae756a7de3d1efa0c");
    memset(&t, 0, sizeof(t));
    t.got = (struct fth_buf)FTH_BUF_INIT;
    t.want_path = "etc/alpine-release";
    walk(&t, img, 0, hex);
    assert_int_equal(t.total, 517);
    assert_string_equal(t.got.ptr, "3.20.3\n");
    fth_buf_release(&t.got);
    fth_image_free(img);

    img = open_ok(ROOTFS "alpine-minirootfs-3.10.9-x86_64.tar.gz", NULL, 1);
    memset(&t, 0, sizeof(t));
    walk(&t, img, 0, hex);
    assert_int_equal(t.total, 482);
    fth_image_free(img);

    /* Without --rootfs a plain tarball is not taken for an image. */
    img = NULL;
    assert_int_equal(
        fth_image_open(&img, ROOTFS "alpine-minirootfs-3.10.9-x86_64.tar.gz", &opts, &err),
        FTH_EINVALID);
    assert_non_null(
        strstr(err.message, "is not an image archive (no manifest.json or oci-layout)"));
}

static void shell(const char *cmd)
{
    if (system(cmd) != 0)
        fail_msg("failed: %s", cmd);
}

struct seen {
    char list[4096];
};

static int list_visit(void *data, const struct fth_entry *e, struct fth_entry_reader *r)
{
    struct seen *s = data;
    size_t n = strlen(s->list);
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;

    snprintf(s->list + n, sizeof(s->list) - n, "%s:%d:%llu:%s", e->path, (int)e->type,
             (unsigned long long)e->size, e->link ? e->link : "");
    if (r) {
        assert_int_equal(fth_entry_read_all(r, &b, 100, &err), 0);
        n = strlen(s->list);
        snprintf(s->list + n, sizeof(s->list) - n, "=%s", b.ptr);
        fth_buf_release(&b);
    }
    n = strlen(s->list);
    snprintf(s->list + n, sizeof(s->list) - n, ";");
    return 0;
}

static void test_rootfs_dir(void **state)
{
    char dir[] = "/tmp/fathom-image-rootfs.XXXXXX", cmd[512], ref[600];
    struct fth_image *img;
    struct fth_error err;
    struct seen s;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof(cmd),
             "cd %s && mkdir -p etc usr/bin && printf 'hello' >etc/motd && printf 'x' "
             ">usr/bin/tool && ln -s /etc/motd etc/link && ln -s ../../../../x usr/escape",
             dir);
    shell(cmd);
    for (int k = 0; k < 2; k++) {
        memset(&s, 0, sizeof(s));
        snprintf(ref, sizeof(ref), "%s%s", k ? "dir:" : "", dir);
        img = open_ok(ref, NULL, 0);
        assert_string_equal(img->transport, "dir");
        assert_int_equal(img->nlayers, 1);
        assert_int_equal(fth_image_walk_layer(img, 0, list_visit, &s, &err), 0);
        /* Sorted per directory; symlinks reported as written, never followed. */
        assert_string_equal(s.list, "etc:1:0:;etc/link:2:0:/etc/motd;etc/motd:0:5:=hello;"
                                    "usr:1:0:;usr/bin:1:0:;usr/bin/tool:0:1:=x;"
                                    "usr/escape:2:0:../../../../x;");
        fth_image_free(img);
    }
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    shell(cmd);
}

/* The same root filesystem as gzip, zstd and plain tar: the same entries. */
static void test_compressions(void **state)
{
    static const char *const forms[] = {"rootfs.tar.zst", "rootfs.tar"};
    char dir[] = "/tmp/fathom-image-comp.XXXXXX", cmd[1024], path[256], want[65], got[65];
    struct fth_image *img;
    struct tally t;
    size_t i;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof(cmd),
             "gzip -dc %salpine-minirootfs-3.20.3-x86_64.tar.gz >%s/rootfs.tar && zstd -q -3 -k "
             "%s/rootfs.tar -o %s/rootfs.tar.zst",
             ROOTFS, dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    img = open_ok(ROOTFS "alpine-minirootfs-3.20.3-x86_64.tar.gz", NULL, 1);
    memset(&t, 0, sizeof(t));
    walk(&t, img, 0, want);
    fth_image_free(img);
    for (i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, forms[i]);
        img = open_ok(path, NULL, 1);
        memset(&t, 0, sizeof(t));
        walk(&t, img, 0, got);
        assert_int_equal(t.total, 517);
        assert_string_equal(got, want);
        fth_image_free(img);
    }
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

struct par {
    struct fth_image *img;
    struct fth_image_tree *tree;
    int rc[8];
};

static int tree_visit(void *data, const struct fth_entry *e, struct fth_entry_reader *r)
{
    (void)r;
    return fth_image_tree_add(data, e);
}

static void par_walk(size_t i, void *data)
{
    struct par *p = data;
    struct fth_error err;

    p->rc[i] = fth_image_walk_layer(p->img, (unsigned)i, tree_visit, p->tree, &err);
}

/* Layers walked on several threads at once into one tree give the same answers. */
static void test_parallel_walk(void **state)
{
    struct par p;

    (void)state;
    memset(&p, 0, sizeof(p));
    p.img = open_ok("oci:" IMAGES "oci-alpine:3.20.3-whiteout", NULL, 0);
    assert_int_equal(fth_image_tree_new(&p.tree, p.img->nlayers), 0);
    fth_parallel_for(p.img->nlayers, 3, par_walk, &p);
    assert_int_equal(p.rc[0], 0);
    assert_int_equal(p.rc[1], 0);
    assert_int_equal(p.rc[2], 0);
    assert_int_equal(fth_image_tree_hidden_by(p.tree, "etc/motd", 0), 2);
    assert_int_equal(fth_image_tree_hidden_by(p.tree, "opt/data/a.txt", 1), 2);
    assert_int_equal(fth_image_tree_visible(p.tree, "opt/data/c.txt", 2), 1);
    assert_int_equal(fth_image_tree_visible(p.tree, "bin/busybox", 0), 1);
    fth_image_tree_free(p.tree);
    fth_image_free(p.img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bookworm),
        cmocka_unit_test(test_alpine_base),
        cmocka_unit_test(test_alpine_whiteout),
        cmocka_unit_test(test_alpine_opaque),
        cmocka_unit_test(test_multi_platform),
        cmocka_unit_test(test_docker_archive_matches_oci),
        cmocka_unit_test(test_real_docker_save),
        cmocka_unit_test(test_rootfs_tarballs),
        cmocka_unit_test(test_rootfs_dir),
        cmocka_unit_test(test_alpine_l2),
        cmocka_unit_test(test_archives_made_here),
        cmocka_unit_test(test_compressions),
        cmocka_unit_test(test_parallel_walk),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
