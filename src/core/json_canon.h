/* The canonical text of a JSON value, byte for byte what jansson's
 * json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) writes,
 * without its per-container loop check (a pointer formatted with snprintf
 * and a hash-table entry for every object and array). The audit chain
 * hashes this text, so the two must never differ: tests/unit/core/
 * json_canon.c compares them on random values. */
#ifndef YQ_CORE_JSON_CANON_H
#define YQ_CORE_JSON_CANON_H

#include "core/buf.h"

#include <jansson.h>
#include <stdbool.h>

/* Appends the text of `v` to `b`: YQ_OK, or an error (the buffer's cap,
 * a NULL value, nesting deeper than 2048, which jansson's own parser
 * refuses to read). */
int json_canon(const json_t *v, struct buf *b);
/* One string, escaped as jansson escapes it (`s` must be valid UTF-8). */
int json_canon_string(struct buf *b, const char *s, size_t len);
/* Whether jansson takes `s` as a string (valid UTF-8: no overlong forms,
 * surrogates or values past U+10FFFF). */
bool json_canon_utf8(const char *s);
/* The text in a new string (free() it), or NULL as json_dumps would. */
char *json_canon_dumps(const json_t *v);

#endif
