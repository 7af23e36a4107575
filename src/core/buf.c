/* Capped growable buffer. */
#include "core/buf.h"
#include "core/mem.h"
#include "core/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
    int rc = buf_reserve(b, n);
    if (rc != YQ_OK) return rc;
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return YQ_OK;
}

int buf_reserve(struct buf *b, size_t n)
{
    if (n > b->max || b->len > b->max - n) return YQ_ELIMIT;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        b->data = yq_realloc(b->data, cap);
        b->cap = cap;
    }
    return YQ_OK;
}

int buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return YQ_ERR;
    if ((size_t)n < sizeof small) return buf_append(b, small, (size_t)n);
    char *big = yq_malloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = buf_append(b, big, (size_t)n);
    free(big);
    return rc;
}

char *buf_steal(struct buf *b)
{
    char *d = b->data ? b->data : yq_strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

void buf_cleanup(struct buf *b)
{
    free(b->data);
    buf_init(b, b->max);
}
