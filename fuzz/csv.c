/* The CSV reader (src/core/csv.c) on arbitrary bytes. Rows stay within
 * the caps (64 fields of 4,096 bytes), line numbers never go back, and
 * what was read, written out again with every field quoted, reads back as
 * the same rows. The platform has no GBK import yet (the reader takes
 * bytes as they come and the embedded files are UTF-8), so GBK bytes are
 * in the corpus as bytes, not decoded. */
#include "core/csv.h"
#include "core/buf.h"
#include "core/status.h"
#include "fuzz.h"

#define MAX_ROWS 256

struct table {
    int nrows;
    int n[MAX_ROWS];
    char *f[MAX_ROWS][CSV_MAX_FIELDS];
};

/* Reads up to MAX_ROWS rows into t; the reader's status at the end. */
static int read_all(const char *text, size_t len, struct table *t)
{
    struct csv_reader r;
    struct csv_row row;
    csv_init(&r, text, len);
    long line = 0;
    int got;
    t->nrows = 0;
    while (t->nrows < MAX_ROWS && (got = csv_next(&r, &row)) == 1) {
        FUZZ_CHECK(row.n >= 1 && row.n <= CSV_MAX_FIELDS);
        FUZZ_CHECK(row.line >= 1 && row.line > line);
        line = row.line;
        t->n[t->nrows] = row.n;
        for (int i = 0; i < row.n; i++) {
            FUZZ_CHECK(strlen(row.f[i]) <= CSV_MAX_FIELD);
            t->f[t->nrows][i] = strdup(row.f[i]);
        }
        t->nrows++;
    }
    if (t->nrows == MAX_ROWS) got = 1;
    csv_cleanup(&r);
    return got;
}

static void free_all(struct table *t)
{
    for (int r = 0; r < t->nrows; r++)
        for (int i = 0; i < t->n[r]; i++)
            free(t->f[r][i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct table *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    int got = read_all((const char *)data, size, a);
    FUZZ_CHECK(got == 0 || got == 1 || got == YQ_EINVAL);
    /* A field with a NUL byte is cut at it (fields are C strings), so the
     * round trip is only checked for input without one. */
    if (got == 0 && !memchr(data, '\0', size)) {
        struct buf out;
        buf_init(&out, 64 * (size_t)size + 64);
        for (int r = 0; r < a->nrows; r++) {
            for (int i = 0; i < a->n[r]; i++) {
                buf_append(&out, i ? ",\"" : "\"", i ? 2 : 1);
                for (const char *c = a->f[r][i]; *c; c++)
                    buf_append(&out, *c == '"' ? "\"\"" : c, *c == '"' ? 2 : 1);
                buf_append(&out, "\"", 1);
            }
            buf_append(&out, "\r\n", 2);
        }
        FUZZ_CHECK(read_all(out.data ? out.data : "", out.len, b) == 0);
        FUZZ_CHECK(b->nrows == a->nrows);
        for (int r = 0; r < a->nrows; r++) {
            FUZZ_CHECK(b->n[r] == a->n[r]);
            for (int i = 0; i < a->n[r]; i++)
                FUZZ_CHECK(strcmp(a->f[r][i], b->f[r][i]) == 0);
        }
        free_all(b);
        buf_cleanup(&out);
    }
    free_all(a);
    free(a);
    free(b);
    return 0;
}
