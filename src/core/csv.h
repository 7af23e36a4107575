/* A small RFC 4180 reader: comma-separated, double-quoted fields with ""
 * escapes, CRLF or LF line ends. Capped: at most CSV_MAX_FIELDS fields of
 * CSV_MAX_FIELD bytes per row. Pure: works on a string in memory. */
#ifndef YQ_CORE_CSV_H
#define YQ_CORE_CSV_H

#include <stddef.h>

#define CSV_MAX_FIELDS 64
#define CSV_MAX_FIELD 4096

struct csv_row {
    int n;                          /* fields in this row */
    const char *f[CSV_MAX_FIELDS];  /* NUL-terminated, valid until the next row */
    long line;                      /* 1-based line where the row starts */
};

struct csv_reader {
    const char *p, *end;
    long line;
    char *store; /* holds the current row's fields */
    size_t store_size;
};

void csv_init(struct csv_reader *r, const char *text, size_t len);
/* 1 with *row filled, 0 at the end, YQ_EINVAL on a malformed or oversized
 * row. */
int csv_next(struct csv_reader *r, struct csv_row *row);
void csv_cleanup(struct csv_reader *r);

#endif
