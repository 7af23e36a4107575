/* A growable byte buffer with a size cap (like curl's dynbuf): appending
 * beyond the cap fails with YQ_ELIMIT and leaves the buffer unchanged. The
 * contents are always NUL-terminated. */
#ifndef YQ_CORE_BUF_H
#define YQ_CORE_BUF_H

#include <stddef.h>

struct buf {
    char *data;
    size_t len, cap, max;
};

void buf_init(struct buf *b, size_t max);
int buf_append(struct buf *b, const void *p, size_t n);
/* Makes room for `n` more bytes (and the NUL) without writing them, so
 * that a writer may fill data + len … and then move len itself; YQ_ELIMIT
 * (buffer unchanged) past the cap. */
int buf_reserve(struct buf *b, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the contents to the caller (free() them) and resets the buffer. */
char *buf_steal(struct buf *b);
void buf_reset(struct buf *b);
void buf_cleanup(struct buf *b);

#endif
