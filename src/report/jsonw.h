/*
 * report module-private: a small streaming JSON writer shared by the JSON, SARIF and rules
 * renderers. Pretty printed with a 2-space indent, keys in the order written, so output is
 * deterministic. Strings go through fth_json_quote, which writes valid UTF-8 whatever the
 * input (a bad byte becomes U+FFFD, as Go's encoder does): findings quote untrusted manifest
 * text, and one stray byte must not make the whole report unparseable.
 *
 * Errors are sticky: after the first failure every call does nothing, and jw_finish returns
 * it. This keeps the renderers a flat list of calls.
 */
#ifndef FATHOM_REPORT_JSONW_H
#define FATHOM_REPORT_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "fathom/base.h"

struct jw {
    struct fth_buf *out;
    unsigned depth;
    int first;     /* nothing written yet in the current container */
    int after_key; /* a key was written; the value follows on the same line */
    int error;     /* first failure, 0 when none */
};

void jw_init(struct jw *w, struct fth_buf *out);
void jw_obj_begin(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr_begin(struct jw *w);
void jw_arr_end(struct jw *w);
void jw_key(struct jw *w, const char *key);
/* A string value; NULL writes null. */
void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t len);
void jw_int(struct jw *w, int64_t v);
void jw_uint(struct jw *w, uint64_t v);
void jw_bool(struct jw *w, int v);
void jw_null(struct jw *w);
/* A preformatted token (a number literal). */
void jw_raw(struct jw *w, const char *token);
/* Append the final newline; returns 0 or the first error. */
int jw_finish(struct jw *w);

#endif
