/* A small multipart/form-data reader. */
#include "http/multipart.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *find(const char *hay, size_t hay_len, const char *needle, size_t n)
{
    if (n == 0 || hay_len < n) return NULL;
    for (size_t i = 0; i + n <= hay_len; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0) return hay + i;
    return NULL;
}

/* Copies the value of `key="…"` (or key=token) from a header line. */
static bool param(const char *line, size_t len, const char *key, char *out, size_t cap)
{
    char pat[64];
    int pl = snprintf(pat, sizeof pat, "%s=", key);
    const char *p = line;
    while ((p = find(p, len - (size_t)(p - line), pat, (size_t)pl))) {
        /* A whole word: "name=" must not match "filename=". */
        if (p == line || p[-1] == ' ' || p[-1] == ';') break;
        p += pl;
    }
    if (!p) return false;
    p += pl;
    const char *end = line + len;
    size_t j = 0;
    if (p < end && *p == '"') {
        p++;
        while (p < end && *p != '"' && j + 1 < cap) out[j++] = *p++;
    } else {
        while (p < end && *p != ';' && *p != ' ' && j + 1 < cap) out[j++] = *p++;
    }
    out[j] = '\0';
    return true;
}

bool multipart_find(const char *content_type, const char *body, size_t body_len,
                    const char *name, struct multipart_part *out)
{
    if (!content_type || strncasecmp(content_type, "multipart/form-data", 19) != 0) return false;
    const char *b = strstr(content_type, "boundary=");
    if (!b) return false;
    char boundary[128];
    b += 9;
    size_t j = 0;
    boundary[j++] = '-';
    boundary[j++] = '-';
    if (*b == '"') b++;
    while (*b && *b != '"' && *b != ';' && j + 1 < sizeof boundary) boundary[j++] = *b++;
    boundary[j] = '\0';
    size_t blen = j;
    if (blen <= 2) return false;
    const char *p = find(body, body_len, boundary, blen);
    const char *end = body + body_len;
    while (p) {
        p += blen;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') return false; /* closing boundary */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') return false;
        p += 2;
        const char *headers_end = find(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!headers_end) return false;
        char part_name[128] = "", filename[256] = "";
        for (const char *line = p; line < headers_end;) {
            const char *eol = find(line, (size_t)(headers_end - line), "\r\n", 2);
            if (!eol) eol = headers_end;
            size_t len = (size_t)(eol - line);
            if (len > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
                param(line, len, "name", part_name, sizeof part_name);
                param(line, len, "filename", filename, sizeof filename);
            }
            line = eol + 2;
        }
        const char *data = headers_end + 4;
        char delim[132];
        int dl = snprintf(delim, sizeof delim, "\r\n%s", boundary);
        const char *next = find(data, (size_t)(end - data), delim, (size_t)dl);
        if (!next) return false;
        if (strcmp(part_name, name) == 0) {
            out->data = data;
            out->len = (size_t)(next - data);
            snprintf(out->filename, sizeof out->filename, "%s", filename);
            return true;
        }
        p = next + 2;
    }
    return false;
}
