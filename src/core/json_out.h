/* Writing a small JSON object straight into a buffer, for the few hot
 * answers whose shape is fixed (the public verification of a voucher):
 * no tree of jansson nodes to build, hash and free per request. Strings
 * are escaped as RFC 8259 asks; bytes that are not UTF-8 become U+FFFD,
 * so the output is always valid JSON text. The first failed append (the
 * buffer's cap) is kept in `rc` and every later call does nothing. */
#ifndef YQ_CORE_JSON_OUT_H
#define YQ_CORE_JSON_OUT_H

#include "core/buf.h"

#include <stdbool.h>
#include <stdint.h>

struct json_out {
    struct buf *b;
    bool first; /* no member written yet */
    int rc;     /* YQ_OK, or the first error */
};

void json_out_begin(struct json_out *o, struct buf *b); /* writes "{" */
void json_out_str(struct json_out *o, const char *key, const char *value);
void json_out_int(struct json_out *o, const char *key, int64_t value);
void json_out_bool(struct json_out *o, const char *key, bool value);
/* Writes "}" and returns YQ_OK or the first error. */
int json_out_end(struct json_out *o);

/* Appends the escape of `c` (a quote, a backslash or a control
 * character): \n and the like, else \u00XX in lower- or uppercase hex
 * (jansson writes uppercase). */
int json_out_escape(struct buf *b, unsigned char c, bool upper);
/* The same escape written to `out`; returns its length (2 or 6). */
size_t json_out_escape_to(char out[6], unsigned char c, bool upper);
/* Appends `s` as a JSON string literal (with its quotes). */
int json_out_string(struct buf *b, const char *s);
/* Appends `value` in decimal, as "%" PRId64 would (without stdio). */
int json_out_integer(struct buf *b, int64_t value);

#endif
