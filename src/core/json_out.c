/* Fixed-shape JSON objects into a buffer (see json_out.h). */
#include "core/json_out.h"
#include "core/status.h"

#include <string.h>

/* The length of the valid UTF-8 sequence at s (1–4), or 0 if it is not one
 * (overlong forms, surrogates and values past U+10FFFF are not). */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) return (s[1] & 0xc0) == 0x80 ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80) return 0;
        if (c == 0xe0 && s[1] < 0xa0) return 0; /* overlong */
        if (c == 0xed && s[1] > 0x9f) return 0; /* surrogate */
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80) return 0;
        if (c == 0xf0 && s[1] < 0x90) return 0; /* overlong */
        if (c == 0xf4 && s[1] > 0x8f) return 0; /* past U+10FFFF */
        return 4;
    }
    return 0;
}

size_t json_out_escape_to(char out[6], unsigned char c, bool upper)
{
    const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    out[0] = '\\';
    switch (c) {
    case '"': out[1] = '"'; return 2;
    case '\\': out[1] = '\\'; return 2;
    case '\n': out[1] = 'n'; return 2;
    case '\r': out[1] = 'r'; return 2;
    case '\t': out[1] = 't'; return 2;
    case '\b': out[1] = 'b'; return 2;
    case '\f': out[1] = 'f'; return 2;
    default:
        memcpy(out + 1, "u00", 3);
        out[4] = hex[c >> 4];
        out[5] = hex[c & 15];
        return 6;
    }
}

int json_out_escape(struct buf *b, unsigned char c, bool upper)
{
    char esc[6];
    return buf_append(b, esc, json_out_escape_to(esc, c, upper));
}

int json_out_string(struct buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    int rc = buf_append(b, "\"", 1);
    while (rc == YQ_OK && *p) {
        const unsigned char *run = p; /* bytes that need no escape, UTF-8 included */
        for (;;) {
            if (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') {
                p++;
            } else if (*p >= 0x80) {
                size_t n = utf8_seq(p);
                if (!n) break;
                p += n;
            } else {
                break;
            }
        }
        if (p > run) rc = buf_append(b, run, (size_t)(p - run));
        if (rc != YQ_OK || !*p) break;
        if (*p >= 0x80) { /* not UTF-8 */
            rc = buf_append(b, "\xef\xbf\xbd", 3);
            p++;
            continue;
        }
        rc = json_out_escape(b, *p, false);
        p++;
    }
    return rc == YQ_OK ? buf_append(b, "\"", 1) : rc;
}

void json_out_begin(struct json_out *o, struct buf *b)
{
    o->b = b;
    o->first = true;
    o->rc = buf_append(b, "{", 1);
}

/* `"key":` with the comma before it when needed. */
static void key(struct json_out *o, const char *k)
{
    if (o->rc != YQ_OK) return;
    if (!o->first) o->rc = buf_append(o->b, ",", 1);
    o->first = false;
    if (o->rc == YQ_OK) o->rc = json_out_string(o->b, k);
    if (o->rc == YQ_OK) o->rc = buf_append(o->b, ":", 1);
}

void json_out_str(struct json_out *o, const char *k, const char *value)
{
    key(o, k);
    if (o->rc == YQ_OK) o->rc = json_out_string(o->b, value);
}

int json_out_integer(struct buf *b, int64_t value)
{
    char text[24];
    size_t at = sizeof text;
    uint64_t u = value < 0 ? 0 - (uint64_t)value : (uint64_t)value; /* INT64_MIN too */
    do {
        text[--at] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (value < 0) text[--at] = '-';
    return buf_append(b, text + at, sizeof text - at);
}

void json_out_int(struct json_out *o, const char *k, int64_t value)
{
    key(o, k);
    if (o->rc == YQ_OK) o->rc = json_out_integer(o->b, value);
}

void json_out_bool(struct json_out *o, const char *k, bool value)
{
    key(o, k);
    if (o->rc == YQ_OK) o->rc = value ? buf_append(o->b, "true", 4) : buf_append(o->b, "false", 5);
}

int json_out_end(struct json_out *o)
{
    if (o->rc == YQ_OK) o->rc = buf_append(o->b, "}", 1);
    return o->rc;
}
