/* ?format=csv: the same columns as the Excel export (api/export.h), one
 * header row of Chinese names and one row per item, UTF-8 with a BOM so
 * that Excel opens it as UTF-8. Money is 元 with two decimals, dates
 * YYYY-MM-DD, instants "YYYY-MM-DD HH:MM:SS" in China time. Rows go to
 * the file as they come (export_run.c). */
#include "api/export.h"

#include <stdio.h>
#include <string.h>

/* RFC 4180 quoting. Text that a spreadsheet would take for a formula
 * (= + - @ first) gets a leading apostrophe: a name is never run. */
static void put_field(FILE *f, const char *s, bool text)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    bool formula = text && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
    if (quote) fputc('"', f);
    if (formula) fputc('\'', f);
    /* Runs between quotes in one write each, a quote doubled. */
    for (const char *q; (q = strchr(s, '"')); s = q + 1) {
        fwrite(s, 1, (size_t)(q + 1 - s), f);
        fputc('"', f);
    }
    fputs(s, f);
    if (quote) fputc('"', f);
}

static bool begin(struct export_writer *w, struct request *req)
{
    FILE *f = fopen(w->path, "w");
    if (!f) return false;
    w->impl = f;
    fputs("\xEF\xBB\xBF", f);
    for (size_t c = 0; c < w->ncols; c++) {
        if (c) fputc(',', f);
        put_field(f, w->spec->cols[c].header, true);
    }
    fputs("\r\n", f);
    return true;
}

static void cell(struct export_writer *w, int64_t row, size_t col, const struct export_cell *x)
{
    FILE *f = w->impl;
    char text[2048];
    if (col) fputc(',', f);
    put_field(f, export_cell_text(x, text, sizeof text), x->type == CELL_TEXT);
    if (col + 1 == w->ncols) fputs("\r\n", f);
}

static bool finish(struct export_writer *w)
{
    FILE *f = w->impl;
    w->impl = NULL;
    bool ok = !ferror(f);
    return fclose(f) == 0 && ok;
}

static void abort_csv(struct export_writer *w)
{
    if (w->impl) fclose(w->impl);
    w->impl = NULL;
}

const struct export_format export_csv = {
    "csv", "text/csv; charset=utf-8", begin, cell, finish, abort_csv,
};
