/* ?format=csv: the same columns as the Excel export (api/export.h), one
 * header row of Chinese names and one row per item, UTF-8 with a BOM so
 * that Excel opens it as UTF-8. Money is 元 with two decimals, dates
 * YYYY-MM-DD, instants "YYYY-MM-DD HH:MM:SS" in China time. Written to a
 * temporary file row by row and streamed from it. */
#include "api/api.h"
#include "api/export.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* RFC 4180 quoting. Text that a spreadsheet would take for a formula
 * (= + - @ first) gets a leading apostrophe: a name is never run. */
static void put_field(FILE *f, const char *s, bool text)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    bool formula = text && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
    if (quote) fputc('"', f);
    if (formula) fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    if (quote) fputc('"', f);
}

static bool write_csv(FILE *f, const struct export_spec *s, json_t *items)
{
    size_t ncols = export_ncols(s);
    fputs("\xEF\xBB\xBF", f);
    for (size_t c = 0; c < ncols; c++) {
        if (c) fputc(',', f);
        put_field(f, s->cols[c].header, true);
    }
    fputs("\r\n", f);
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        for (size_t c = 0; c < ncols; c++) {
            struct export_cell x;
            char text[2048];
            export_cell(&s->cols[c], item, &x);
            if (c) fputc(',', f);
            put_field(f, export_cell_text(&x, text, sizeof text), x.type == CELL_TEXT);
        }
        fputs("\r\n", f);
    }
    return fflush(f) == 0 && !ferror(f);
}

bool export_reply_csv(struct request *req, const struct export_spec *s, json_t *items)
{
    char path[] = "/tmp/yunquan-csv-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return false;
    unlink(path);
    FILE *f = fdopen(fd, "w+");
    if (!f) {
        close(fd);
        return false;
    }
    bool ok = write_csv(f, s, items);
    int out = ok ? dup(fd) : -1;
    fclose(f);
    if (out < 0) return false;
    char name[256];
    export_file_name(s->title, "csv", name, sizeof name);
    api_reply_file(req, out, "text/csv; charset=utf-8", name, NULL);
    return true;
}
