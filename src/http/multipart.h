/* multipart/form-data (RFC 7578) over a body already in memory: finds one
 * named part and borrows its bytes. */
#ifndef YQ_HTTP_MULTIPART_H
#define YQ_HTTP_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

struct multipart_part {
    const char *data;
    size_t len;
    char filename[256]; /* "" when the part has none */
};

/* Finds the part named `name`. False when the content type is not
 * multipart/form-data with a boundary, the body is malformed, or there is
 * no such part. */
bool multipart_find(const char *content_type, const char *body, size_t body_len,
                    const char *name, struct multipart_part *out);

#endif
