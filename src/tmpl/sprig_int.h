/*
 * Helpers shared by the Sprig function families (src/tmpl/sprig_*.c): Sprig's conversions
 * (strval, cast.ToInt64/ToFloat64), Go's reflect rules Sprig leans on (empty, DeepEqual) and
 * small result helpers. Defined in sprig_conv.c.
 */
#ifndef FATHOM_SPRIG_INT_H
#define FATHOM_SPRIG_INT_H

#include <stdint.h>

#include "tmpl_int.h"

/* The signature every function of a family table has (some ignore a parameter). */
#if defined(__GNUC__) || defined(__clang__)
#define SPRIG_MAYBE_UNUSED __attribute__((unused))
#else
#define SPRIG_MAYBE_UNUSED
#endif
#define SPRIG_FN(name)                                                                             \
    static int name(struct fth_value **out, struct fth_tmpl_call *call SPRIG_MAYBE_UNUSED,         \
                    struct fth_value *const *args SPRIG_MAYBE_UNUSED,                              \
                    size_t argc SPRIG_MAYBE_UNUSED)
#define SPRIG_UNUSED (void)argc

/* *out = v; FTH_ENOMEM when v is NULL. */
int sprig_ret(struct fth_value **out, struct fth_value *v);
/* A string result from b (released here whatever happens), or error when negative. */
int sprig_ret_buf(struct fth_value **out, struct fth_tmpl_call *call, struct fth_buf *b, int error);
int sprig_ret_str(struct fth_value **out, struct fth_tmpl_call *call, const char *s, size_t len);

/* A Go nil interface (nil, or a C NULL item of a loaded sequence). */
int sprig_is_nil(const struct fth_value *v);
/* Sprig's strval: strings and []byte as they are, Stringers by String(), the rest fmt %v. */
int sprig_strval(struct fth_buf *out, const struct fth_value *v);
/* cast.ToInt64 / cast.ToFloat64 (spf13/cast v1.3): unconvertible values are 0. */
int64_t sprig_to_int64(const struct fth_value *v);
double sprig_to_float64(const struct fth_value *v);
/* strconv.ParseInt(s, base, 64) (base 0: Go literal prefixes); 0 when s is not one. */
int sprig_parse_int(int64_t *out, const char *s, size_t len, int base);
/* strconv.ParseFloat(s, 64); 0 when s is not a Go float (or out of range). */
int sprig_parse_float(double *out, const char *s, size_t len);
/* Go's float64 -> int64 conversion as amd64 does it (NaN and overflow: the minimum). */
int64_t sprig_f2i(double d);

/* Sprig's empty(): nil, false, 0, "" and empty slices/maps; structs never. */
int sprig_empty(const struct fth_value *v);
/* reflect.DeepEqual over the value model (Go types included: int vs int64 differ). */
int sprig_deep_equal(const struct fth_value *a, const struct fth_value *b);
/* Go's reflect Kind name of a value ("string", "slice", "map", "int64", "ptr", ...). */
const char *sprig_kind_name(const struct fth_value *v);
/* Deep copy (copystructure.Copy). NULL when out of memory or too deep. */
struct fth_value *sprig_deep_copy(struct fth_arena *a, const struct fth_value *v, int depth);

/* A slice item with C NULL mapped to a nil value (NULL only when out of memory). */
struct fth_value *sprig_item(struct fth_tmpl_call *call, struct fth_value *v);
/* 1 when v is a Go slice or array (a SEQ, or []byte). */
int sprig_is_list(const struct fth_value *v);
/* Go's panic text for reflect.TypeOf(nil).Kind(): a function called with nil. */
int sprig_nil_panic(struct fth_tmpl_call *call);
/* A Go slice of strings from a list of C strings. */
struct fth_value *sprig_str_seq(struct fth_arena *a, size_t cap);
int sprig_seq_push_str(struct fth_arena *a, struct fth_value *seq, const char *s, size_t len);

/* Sprig's strslice: a list's non-nil items through strval; a non-list is one string, nil none. */
int sprig_strslice(struct fth_value **out, struct fth_arena *a, const struct fth_value *v);

/* Sorted string compare of two strings (Go's < on strings: bytewise). */
int sprig_strcmp(const char *a, size_t alen, const char *b, size_t blen);

/* Runes (sprig_strings.c): UTF-8 decoding as Go's range does it (a bad byte is U+FFFD of
 * width 1), encoding, and Unicode case and class tests for the scripts charts use (Latin,
 * Greek, Cyrillic; other scripts are left as they are). */
size_t sprig_rune(const char *s, size_t n, unsigned *r);
int sprig_put_rune(struct fth_buf *b, unsigned r);
int sprig_is_upper(unsigned r);
int sprig_is_lower(unsigned r);
int sprig_is_space(unsigned r);
int sprig_is_letter(unsigned r);
int sprig_is_digit(unsigned r);
unsigned sprig_to_upper(unsigned r);
unsigned sprig_to_lower(unsigned r);
/* Random bytes from the system (getrandom); negative when none could be had. */
int sprig_random(void *buf, size_t len);
/* A uniformly random integer in [0, n) for n > 0. */
uint64_t sprig_random_below(uint64_t n);

/* The Go time.Time helpers other families use (sprig_dates.c). */
struct fth_value *sprig_time_new(struct fth_arena *a, int64_t unix, int32_t nsec, int32_t off,
                                 const char *zone);
const struct tmpl_time *sprig_time_of(const struct fth_value *v);

#endif
