/* fth_arena: alignment, zeroing, big allocations, strings; fth_vec. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdalign.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fathom/base.h"

static void test_base_arena_alignment(void **state)
{
    struct fth_arena *a = fth_arena_new();
    size_t i;
    (void)state;
    assert_non_null(a);
    for (i = 0; i < 2000; i++) {
        size_t n = i % 37, j;
        unsigned char *p = fth_arena_alloc(a, n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
        for (j = 0; j < n; j++)
            assert_int_equal(p[j], 0);
        memset(p, 0xab, n);
    }
    fth_arena_free(a);
    fth_arena_free(NULL);
}

static void test_base_arena_big(void **state)
{
    struct fth_arena *a = fth_arena_new();
    char *small, *big, *after;
    size_t i;
    (void)state;
    small = fth_arena_alloc(a, 16);
    big = fth_arena_alloc(a, (size_t)8 * 1024 * 1024);
    assert_non_null(big);
    for (i = 0; i < (size_t)8 * 1024 * 1024; i += 4096)
        assert_int_equal(big[i], 0);
    big[(size_t)8 * 1024 * 1024 - 1] = 1;
    /* the small block's free space is still used after an oversized block */
    after = fth_arena_alloc(a, 16);
    assert_true(after == small + 16 || after > small);
    assert_true(fth_arena_size(a) >= (size_t)8 * 1024 * 1024);
    assert_true(fth_arena_size(a) < (size_t)9 * 1024 * 1024);
    /* impossible sizes fail cleanly */
    assert_null(fth_arena_alloc(a, SIZE_MAX));
    assert_null(fth_arena_alloc(a, SIZE_MAX - 8));
    assert_null(fth_arena_calloc(a, SIZE_MAX / 2, 3));
    assert_null(fth_arena_strndup(a, "x", SIZE_MAX));
    /* many blocks */
    for (i = 0; i < 10000; i++)
        assert_non_null(fth_arena_alloc(a, 1000));
    fth_arena_free(a);
}

static void test_base_arena_strings(void **state)
{
    struct fth_arena *a = fth_arena_new();
    char *s;
    (void)state;
    s = fth_arena_strndup(a, "hello world", 5);
    assert_string_equal(s, "hello");
    s = fth_arena_strndup(a, "a\0b", 3);
    assert_memory_equal(s, "a\0b\0", 4);
    s = fth_arena_strndup(a, NULL, 0);
    assert_string_equal(s, "");
    assert_string_equal(fth_arena_strdup(a, "x"), "x");
    assert_null(fth_arena_strdup(a, NULL));
    assert_string_equal(fth_arena_printf(a, "%s-%d", "n", 7), "n-7");
    assert_string_equal(fth_arena_printf(a, "%s", ""), "");
    fth_arena_free(a);
}

/* fth_arena_printf formats the common conversions itself: it must agree with snprintf. */
static void test_base_arena_printf_matches_snprintf(void **state)
{
    struct fth_arena *a = fth_arena_new();
    char want[2048], big[1500];
    const char *got;

    (void)state;
    assert_non_null(a);
#define SAME(...)                                                                                  \
    do {                                                                                           \
        snprintf(want, sizeof(want), __VA_ARGS__);                                                 \
        got = fth_arena_printf(a, __VA_ARGS__);                                                    \
        assert_non_null(got);                                                                      \
        assert_string_equal(got, want);                                                            \
    } while (0)
    SAME("plain text");
    SAME("%s and %s", "one", "");
    SAME("%d %d %d", 0, -1, -2147483647 - 1);
    SAME("%u %u", 0u, 4294967295u);
    SAME("%zu %zu", (size_t)0, (size_t)-1);
    SAME("%ld %lu", -9223372036854775807L - 1, 18446744073709551615UL);
    SAME("%lld %llu", -9223372036854775807LL - 1, 18446744073709551615ULL);
    SAME("%c%c 100%%", 'o', 'k');
    /* conversions it leaves to vsnprintf */
    SAME("%5d|%-4s|%.2s|%x|%g", 42, "ab", "xyz", 255u, 1.5);
    SAME("%.*s", 3, "abcdef");
    /* longer than its own buffer */
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    SAME("[%s] %d", big, 7);
#undef SAME
    fth_arena_free(a);
}

static void test_base_vec(void **state)
{
    struct fth_arena *a = fth_arena_new();
    struct fth_vec v = {0};
    size_t i;
    (void)state;
    for (i = 0; i < 1000; i++)
        assert_int_equal(fth_vec_push(&v, a, (void *)(uintptr_t)(i + 1)), 0);
    assert_int_equal(v.len, 1000);
    for (i = 0; i < 1000; i++)
        assert_true(v.items[i] == (void *)(uintptr_t)(i + 1));
    fth_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base_arena_alignment),
        cmocka_unit_test(test_base_arena_big),
        cmocka_unit_test(test_base_arena_strings),
        cmocka_unit_test(test_base_arena_printf_matches_snprintf),
        cmocka_unit_test(test_base_vec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
