/* fth_buf (never NULL, always NUL-terminated), fth_error and its one-line format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/base.h"

static void test_base_buf_empty(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    char *p;
    size_t len = 99;
    (void)state;
    assert_non_null(b.ptr);
    assert_string_equal(b.ptr, "");
    fth_buf_clear(&b);
    assert_string_equal(b.ptr, "");
    assert_int_equal(fth_buf_put(&b, "x", 0), 0);
    assert_int_equal(b.cap, 0);
    p = fth_buf_detach(&b, &len);
    assert_non_null(p);
    assert_string_equal(p, "");
    assert_int_equal(len, 0);
    free(p);
    fth_buf_release(&b);
    fth_buf_release(&b);
    assert_string_equal(b.ptr, "");
}

static void test_base_buf_growth(void **state)
{
    struct fth_buf b;
    size_t i;
    (void)state;
    fth_buf_init(&b);
    for (i = 0; i < 100000; i++)
        assert_int_equal(fth_buf_putc(&b, (char)('a' + i % 26)), 0);
    assert_int_equal(b.len, 100000);
    assert_true(b.cap > b.len);
    assert_int_equal(b.ptr[b.len], '\0');
    assert_int_equal(b.ptr[99999], 'a' + 99999 % 26);
    assert_int_equal(fth_buf_put(&b, "a\0b", 3), 0);
    assert_int_equal(b.len, 100003);
    assert_memory_equal(b.ptr + 100000, "a\0b", 4);
    fth_buf_clear(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.ptr, "");
    /* sizes that cannot be met fail without touching the buffer */
    assert_int_equal(fth_buf_grow(&b, SIZE_MAX), FTH_ENOMEM);
    assert_int_equal(fth_buf_grow(&b, SIZE_MAX / 2 + 1), FTH_ENOMEM);
    assert_int_equal(fth_buf_puts(&b, "ok"), 0);
    assert_string_equal(b.ptr, "ok");
    fth_buf_release(&b);
}

static void test_base_buf_printf(void **state)
{
    struct fth_buf b = FTH_BUF_INIT;
    char big[5000];
    char *p;
    size_t len;
    (void)state;
    assert_int_equal(fth_buf_printf(&b, "%s", ""), 0);
    assert_string_equal(b.ptr, "");
    assert_int_equal(fth_buf_printf(&b, "%d-%s", 42, "x"), 0);
    assert_int_equal(fth_buf_printf(&b, "/%05.1f", 2.25), 0);
    assert_string_equal(b.ptr, "42-x/002.2");
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(fth_buf_printf(&b, "[%s]", big), 0);
    assert_int_equal(b.len, 10 + 2 + sizeof(big) - 1);
    assert_int_equal(b.ptr[b.len - 1], ']');
    p = fth_buf_detach(&b, &len);
    assert_int_equal(len, 10 + 2 + sizeof(big) - 1);
    assert_int_equal(p[len], '\0');
    assert_string_equal(b.ptr, "");
    assert_int_equal(b.len, 0);
    free(p);
    fth_buf_release(&b);
}

static void test_base_error(void **state)
{
    struct fth_error err;
    struct fth_buf b = FTH_BUF_INIT;
    char longname[2000];
    (void)state;
    fth_error_clear(&err);
    assert_int_equal(fth_error_set(&err, FTH_EINVALID, "'%s': expected %s, found %s", "hostNetwork",
                                   "a boolean", "a string"),
                     FTH_EINVALID);
    fth_error_locate(&err, "pod.yaml", 12, 3);
    assert_int_equal(fth_error_format(&b, &err), 0);
    assert_string_equal(b.ptr, "pod.yaml:12:3: 'hostNetwork': expected a boolean, found a string");
    /* a lower layer's location wins */
    fth_error_locate(&err, "other.yaml", 1, 1);
    assert_string_equal(err.file, "pod.yaml");
    assert_int_equal(err.line, 12);
    /* parts that are unknown are left out */
    fth_buf_clear(&b);
    fth_error_clear(&err);
    fth_error_set(&err, FTH_ELIMIT, "too big");
    fth_error_locate(&err, "f.yaml", 0, 0);
    assert_int_equal(fth_error_format(&b, &err), 0);
    assert_string_equal(b.ptr, "f.yaml: too big");
    fth_buf_clear(&b);
    fth_error_clear(&err);
    fth_error_set(&err, FTH_ELIMIT, "x");
    fth_error_locate(&err, NULL, 4, 0);
    fth_error_format(&b, &err);
    assert_string_equal(b.ptr, "4: x");
    fth_buf_clear(&b);
    fth_error_clear(&err);
    err.code = FTH_ENOMEM;
    fth_error_format(&b, &err);
    assert_string_equal(b.ptr, "out of memory");
    fth_buf_clear(&b);
    fth_error_clear(&err);
    fth_error_set(&err, FTH_EINVALID, "bad");
    fth_error_locate(&err, "a.tgz", 2, 5);
    memcpy(err.member, "templates/x.yaml", 17);
    fth_error_format(&b, &err);
    assert_string_equal(b.ptr, "a.tgz:2:5: templates/x.yaml: bad");
    /* long names and messages are cut, never overflow */
    memset(longname, 'n', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    fth_error_clear(&err);
    fth_error_set(&err, FTH_EINVALID, "%s", longname);
    fth_error_locate(&err, longname, 1, 1);
    assert_int_equal(strlen(err.message), sizeof(err.message) - 1);
    assert_int_equal(strlen(err.file), sizeof(err.file) - 1);
    /* NULL details are allowed */
    assert_int_equal(fth_error_set(NULL, FTH_EIO, "x"), FTH_EIO);
    fth_error_locate(NULL, "f", 1, 1);
    fth_error_clear(NULL);
    assert_string_equal(fth_error_name(FTH_ELIMIT), "limit reached");
    assert_string_equal(fth_error_name(FTH_ETYPE), "wrong type");
    assert_string_equal(fth_error_name(-100), "unknown error");
    fth_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base_buf_empty),
        cmocka_unit_test(test_base_buf_growth),
        cmocka_unit_test(test_base_buf_printf),
        cmocka_unit_test(test_base_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
