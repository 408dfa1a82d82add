/* fth_file_read (limits, directories, missing files, pipes) and fth_parallel_for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fathom/base.h"

static char dir[] = "/tmp/fathom-io-XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[256];
    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *write_file(const char *name, const char *data, size_t len)
{
    static char path[512];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

static void test_base_file_read(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;
    const char *path;
    char *big;
    size_t n = 200000, i;
    (void)state;
    path = write_file("small.yaml", "a: 1\n", 5);
    fth_error_clear(&err);
    assert_int_equal(fth_file_read(&b, path, 100, &err), 0);
    assert_string_equal(b.ptr, "a: 1\n");
    assert_int_equal(b.len, 5);
    /* exactly at the limit is fine, one byte over is not */
    assert_int_equal(fth_file_read(&b, path, 5, &err), 0);
    assert_int_equal(fth_file_read(&b, path, 4, &err), FTH_ELIMIT);
    assert_string_equal(err.file, path);
    assert_string_equal(err.message, "expected at most 4 bytes, found 5 (limit)");
    /* empty */
    path = write_file("empty.yaml", "", 0);
    fth_error_clear(&err);
    assert_int_equal(fth_file_read(&b, path, 100, &err), 0);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.ptr, "");
    /* bigger than one read, with NUL bytes */
    big = malloc(n);
    assert_non_null(big);
    for (i = 0; i < n; i++)
        big[i] = (char)(i % 251);
    path = write_file("big.bin", big, n);
    assert_int_equal(fth_file_read(&b, path, n, &err), 0);
    assert_int_equal(b.len, n);
    assert_memory_equal(b.ptr, big, n);
    assert_true(b.cap <= 2 * n + 65536);
    free(big);
    /* missing, directory */
    fth_error_clear(&err);
    assert_int_equal(fth_file_read(&b, "/nonexistent/x.yaml", 100, &err), FTH_ENOTFOUND);
    assert_string_equal(err.file, "/nonexistent/x.yaml");
    assert_string_equal(err.message, "cannot open: no such file or directory");
    fth_error_clear(&err);
    assert_int_equal(fth_file_read(&b, dir, 100, &err), FTH_EINVALID);
    assert_string_equal(err.message, "expected a file, found a directory");
    assert_int_equal(fth_file_read(&b, dir, 100, NULL), FTH_EINVALID);
    fth_buf_release(&b);
}

static void test_base_file_read_sparse(void **state)
{
    /* a huge sparse file is refused from its size, without reading it */
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;
    char path[512];
    FILE *f;
    (void)state;
    snprintf(path, sizeof(path), "%s/sparse.yaml", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(truncate(path, (off_t)1 << 30), 0);
    fth_error_clear(&err);
    assert_int_equal(fth_file_read(&b, path, (size_t)256 * 1024 * 1024, &err), FTH_ELIMIT);
    assert_string_equal(err.message, "expected at most 268435456 bytes, found 1073741824 (limit)");
    assert_int_equal(b.cap, 0);
    fth_buf_release(&b);
}

static void test_base_file_read_pipe(void **state)
{
    /* stdin from a pipe: no size up front */
    struct fth_buf b = FTH_BUF_INIT;
    struct fth_error err;
    int fds[2], saved;
    char data[10000];
    (void)state;
    memset(data, 'x', sizeof(data));
    saved = dup(STDIN_FILENO);
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], data, sizeof(data)), (ssize_t)sizeof(data));
    close(fds[1]);
    assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
    close(fds[0]);
    fth_error_clear(&err);
    assert_int_equal(fth_file_read(&b, "-", 5000, &err), FTH_ELIMIT);
    assert_string_equal(err.file, "<stdin>");
    assert_string_equal(err.message, "expected at most 5000 bytes, found more (limit)");
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], data, sizeof(data)), (ssize_t)sizeof(data));
    close(fds[1]);
    assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
    close(fds[0]);
    assert_int_equal(fth_file_read(&b, "-", sizeof(data), &err), 0);
    assert_int_equal(b.len, sizeof(data));
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
    fth_buf_release(&b);
}

struct counts {
    atomic_int hits[1000];
    atomic_int calls;
};

static void count(size_t i, void *data)
{
    struct counts *c = data;
    atomic_fetch_add(&c->hits[i], 1);
    atomic_fetch_add(&c->calls, 1);
}

static void test_base_parallel_for(void **state)
{
    static struct counts c;
    unsigned threads[] = {0, 1, 2, 7, 200};
    size_t t, i;
    (void)state;
    assert_true(fth_cpu_count() >= 1);
    for (t = 0; t < sizeof(threads) / sizeof(*threads); t++) {
        memset(&c, 0, sizeof(c));
        fth_parallel_for(1000, threads[t], count, &c);
        assert_int_equal(atomic_load(&c.calls), 1000);
        for (i = 0; i < 1000; i++)
            assert_int_equal(atomic_load(&c.hits[i]), 1);
    }
    memset(&c, 0, sizeof(c));
    fth_parallel_for(0, 4, count, &c);
    assert_int_equal(atomic_load(&c.calls), 0);
    fth_parallel_for(1, 4, count, &c);
    assert_int_equal(atomic_load(&c.calls), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base_file_read),
        cmocka_unit_test(test_base_file_read_sparse),
        cmocka_unit_test(test_base_file_read_pipe),
        cmocka_unit_test(test_base_parallel_for),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
