/* CSV reader. */
#include "core/csv.h"
#include "core/mem.h"
#include "core/status.h"

#include <stdlib.h>

void csv_init(struct csv_reader *r, const char *text, size_t len)
{
    r->p = text;
    r->end = text + len;
    r->line = 1;
    r->store_size = (size_t)CSV_MAX_FIELDS * (CSV_MAX_FIELD + 1);
    r->store = yq_malloc(r->store_size);
}

void csv_cleanup(struct csv_reader *r)
{
    free(r->store);
    r->store = NULL;
}

int csv_next(struct csv_reader *r, struct csv_row *row)
{
    /* Skip blank lines. */
    while (r->p < r->end && (*r->p == '\n' || *r->p == '\r')) {
        if (*r->p == '\n') r->line++;
        r->p++;
    }
    if (r->p >= r->end) return 0;
    row->n = 0;
    row->line = r->line;
    size_t used = 0;
    for (;;) {
        if (row->n >= CSV_MAX_FIELDS) return YQ_EINVAL;
        char *out = r->store + used;
        size_t len = 0;
        if (r->p < r->end && *r->p == '"') {
            r->p++;
            for (;;) {
                if (r->p >= r->end) return YQ_EINVAL; /* unterminated quote */
                char c = *r->p++;
                if (c == '"') {
                    if (r->p < r->end && *r->p == '"') {
                        r->p++;
                    } else {
                        break;
                    }
                }
                if (c == '\n') r->line++;
                if (len >= CSV_MAX_FIELD) return YQ_EINVAL;
                out[len++] = c;
            }
        } else {
            while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r') {
                if (*r->p == '"') return YQ_EINVAL;
                if (len >= CSV_MAX_FIELD) return YQ_EINVAL;
                out[len++] = *r->p++;
            }
        }
        out[len] = '\0';
        row->f[row->n++] = out;
        used += len + 1;
        if (r->p >= r->end) return 1;
        if (*r->p == ',') {
            r->p++;
            continue;
        }
        if (*r->p == '\r') r->p++;
        if (r->p < r->end && *r->p == '\n') {
            r->p++;
            r->line++;
            return 1;
        }
        if (r->p >= r->end) return 1;
        return YQ_EINVAL;
    }
}
