/* Canonical JSON text, as jansson writes it (see json_canon.h). */
#include "core/json_canon.h"
#include "core/json_out.h"
#include "core/status.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 2048 /* jansson's JSON_PARSER_MAX_DEPTH */

/* jansson's escaping: \" \\ and the control characters; everything else,
 * UTF-8 included, as it is (jansson strings are valid UTF-8). */
int json_canon_string(struct buf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    /* Room for the worst case (every byte \u00XX): written in place. */
    if (len <= (SIZE_MAX - 2) / 6 && buf_reserve(b, 6 * len + 2) == YQ_OK) {
        char *o = b->data + b->len;
        *o++ = '"';
        for (; p < end; p++) {
            if (*p >= 0x20 && *p != '"' && *p != '\\')
                *o++ = (char)*p;
            else
                o += json_out_escape_to(o, *p, true);
        }
        *o++ = '"';
        b->len = (size_t)(o - b->data);
        b->data[b->len] = '\0';
        return YQ_OK;
    }
    int rc = buf_append(b, "\"", 1);
    while (rc == YQ_OK && p < end) {
        const unsigned char *run = p;
        while (p < end && *p >= 0x20 && *p != '"' && *p != '\\') p++;
        if (p > run) rc = buf_append(b, run, (size_t)(p - run));
        if (rc != YQ_OK || p == end) break;
        rc = json_out_escape(b, *p, true);
        p++;
    }
    return rc == YQ_OK ? buf_append(b, "\"", 1) : rc;
}

bool json_canon_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p, n;
        if (c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) n = 2;
        else if (c >= 0xe0 && c <= 0xef) n = 3;
        else if (c >= 0xf0 && c <= 0xf4) n = 4;
        else return false;
        for (unsigned i = 1; i < n; i++)
            if ((p[i] & 0xc0) != 0x80) return false;
        if (n == 3 && c == 0xe0 && p[1] < 0xa0) return false; /* overlong */
        if (n == 3 && c == 0xed && p[1] > 0x9f) return false; /* surrogate */
        if (n == 4 && c == 0xf0 && p[1] < 0x90) return false; /* overlong */
        if (n == 4 && c == 0xf4 && p[1] > 0x8f) return false; /* past U+10FFFF */
        p += n;
    }
    return true;
}

struct key {
    const char *s;
    size_t len;
    const json_t *v;
};

/* jansson's order: bytes compared, then the shorter first. */
static int key_cmp(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    int r = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
    if (r) return r;
    return x->len < y->len ? -1 : x->len > y->len;
}

static int value(const json_t *v, struct buf *b, int depth);

static int object(const json_t *v, struct buf *b, int depth)
{
    size_t n = json_object_size(v);
    struct key small[32];
    struct key *keys = n <= 32 ? small : malloc(n * sizeof *keys);
    if (!keys) return YQ_ERR;
    size_t i = 0;
    for (void *it = json_object_iter((json_t *)v); it && i < n;
         it = json_object_iter_next((json_t *)v, it), i++) {
        keys[i].s = json_object_iter_key(it);
        keys[i].len = json_object_iter_key_len(it);
        keys[i].v = json_object_iter_value(it);
    }
    if (i > 32) {
        qsort(keys, i, sizeof *keys, key_cmp);
    } else { /* the usual few keys: insertion sort, no calls through a pointer */
        for (size_t k = 1; k < i; k++) {
            struct key x = keys[k];
            size_t j = k;
            for (; j > 0 && key_cmp(&keys[j - 1], &x) > 0; j--) keys[j] = keys[j - 1];
            keys[j] = x;
        }
    }
    int rc = buf_append(b, "{", 1);
    for (size_t k = 0; rc == YQ_OK && k < i; k++) {
        if (k) rc = buf_append(b, ",", 1);
        if (rc == YQ_OK) rc = json_canon_string(b, keys[k].s, keys[k].len);
        if (rc == YQ_OK) rc = buf_append(b, ":", 1);
        if (rc == YQ_OK) rc = value(keys[k].v, b, depth + 1);
    }
    if (keys != small) free(keys);
    return rc == YQ_OK ? buf_append(b, "}", 1) : rc;
}

static int value(const json_t *v, struct buf *b, int depth)
{
    if (!v || depth > MAX_DEPTH) return YQ_ERR;
    switch (json_typeof(v)) {
    case JSON_NULL: return buf_append(b, "null", 4);
    case JSON_TRUE: return buf_append(b, "true", 4);
    case JSON_FALSE: return buf_append(b, "false", 5);
    case JSON_INTEGER: return json_out_integer(b, json_integer_value(v));
    case JSON_STRING: return json_canon_string(b, json_string_value(v), json_string_length(v));
    case JSON_ARRAY: {
        int rc = buf_append(b, "[", 1);
        size_t n = json_array_size(v);
        for (size_t i = 0; rc == YQ_OK && i < n; i++) {
            if (i) rc = buf_append(b, ",", 1);
            if (rc == YQ_OK) rc = value(json_array_get(v, i), b, depth + 1);
        }
        return rc == YQ_OK ? buf_append(b, "]", 1) : rc;
    }
    case JSON_OBJECT: return object(v, b, depth);
    case JSON_REAL: { /* never money; written by jansson itself */
        char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!t) return YQ_ERR;
        int rc = buf_puts(b, t);
        free(t);
        return rc;
    }
    }
    return YQ_ERR;
}

int json_canon(const json_t *v, struct buf *b)
{
    return value(v, b, 0);
}

char *json_canon_dumps(const json_t *v)
{
    struct buf b;
    buf_init(&b, SIZE_MAX);
    if (json_canon(v, &b) != YQ_OK) {
        buf_cleanup(&b);
        return NULL;
    }
    return buf_steal(&b);
}
