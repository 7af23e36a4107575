/* Every list also answers ?format=xlsx (SPEC §12, §13; issue 10): a
 * workbook that reads like a government report. A merged title row naming
 * the report, a line with the filters and the moment of export, the
 * screen's columns under Chinese headers (frozen, with an autofilter),
 * money as numbers in 元 (¥#,##0.00), dates and instants as Excel dates in
 * China time, and a totals row where sums make sense. Rows are written in
 * order in libxlsxwriter's constant_memory mode, so the workbook costs a
 * small constant amount of memory whatever the number of rows. */
#include "api/api.h"
#include "api/export.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define TITLE_ROW 0
#define SUBTITLE_ROW 1
#define HEADER_ROW 2
#define FIRST_DATA_ROW 3
#define MAX_WIDTH 60

struct formats {
    lxw_format *title, *subtitle, *header, *text, *money, *count, *score, *date, *instant;
    lxw_format *total_label, *total_money, *total_count;
};

static lxw_format *fmt(lxw_workbook *wb, const char *num, bool bold)
{
    lxw_format *f = workbook_add_format(wb);
    if (num) format_set_num_format(f, num);
    if (bold) format_set_bold(f);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

static void make_formats(lxw_workbook *wb, struct formats *f)
{
    f->title = workbook_add_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 16);
    format_set_align(f->title, LXW_ALIGN_CENTER);
    format_set_align(f->title, LXW_ALIGN_VERTICAL_CENTER);
    f->subtitle = workbook_add_format(wb);
    format_set_font_color(f->subtitle, 0x595959);
    f->header = fmt(wb, NULL, true);
    format_set_bg_color(f->header, 0xDDEBF7);
    format_set_align(f->header, LXW_ALIGN_CENTER);
    format_set_text_wrap(f->header);
    f->text = fmt(wb, NULL, false);
    f->money = fmt(wb, "¥#,##0.00", false);
    f->count = fmt(wb, "#,##0", false);
    f->score = fmt(wb, "0.00", false);
    f->date = fmt(wb, "yyyy-mm-dd", false);
    f->instant = fmt(wb, "yyyy-mm-dd hh:mm:ss", false);
    f->total_label = fmt(wb, NULL, true);
    f->total_money = fmt(wb, "¥#,##0.00", true);
    f->total_count = fmt(wb, "#,##0", true);
}

/* An instant or a date (ms in China time) as an Excel serial day. */
static double excel_serial(int64_t cst_ms)
{
    return (double)cst_ms / 86400000.0 + 25569.0;
}

static void write_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const struct export_cell *x,
                       const struct export_column *col, const struct formats *f)
{
    switch (x->type) {
    case CELL_EMPTY:
        worksheet_write_blank(ws, r, c, f->text);
        break;
    case CELL_TEXT:
        worksheet_write_string(ws, r, c, x->text, f->text);
        break;
    case CELL_NUMBER:
        worksheet_write_number(ws, r, c, x->number, col->kind == EX_SCORE ? f->score : f->count);
        break;
    case CELL_MONEY:
        worksheet_write_number(ws, r, c, (double)x->fen / 100.0, f->money);
        break;
    case CELL_DATE:
        worksheet_write_number(ws, r, c, excel_serial(x->cst_ms), f->date);
        break;
    case CELL_INSTANT:
        worksheet_write_number(ws, r, c, excel_serial(x->cst_ms), f->instant);
        break;
    }
}

/* Column widths that fit: the widest of header and cells, CJK counted
 * double, within bounds. One pass over the rows before writing them. */
static void fit_widths(lxw_worksheet *ws, const struct export_spec *s, size_t ncols, json_t *items)
{
    size_t width[EXPORT_MAX_COLUMNS];
    for (size_t c = 0; c < ncols; c++)
        width[c] = export_text_width(s->cols[c].header) + 2;
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) for (size_t c = 0; c < ncols; c++)
    {
        struct export_cell x;
        char text[400];
        export_cell(&s->cols[c], item, &x);
        size_t w = export_text_width(export_cell_text(&x, text, sizeof text));
        if (x.type == CELL_MONEY) w += w / 3 + 2; /* ¥ and thousands separators */
        if (w + 2 > width[c]) width[c] = w + 2;
    }
    for (size_t c = 0; c < ncols; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                             (double)(width[c] > MAX_WIDTH ? MAX_WIDTH : width[c]), NULL);
}

/* The totals row: SUM over the data rows, its value cached so that a
 * reader that does not compute formulas still shows the figure. Money is
 * summed exactly in fen. */
static void write_totals(lxw_worksheet *ws, const struct export_spec *s, size_t ncols,
                         json_t *items, const struct formats *f)
{
    size_t n = json_array_size(items);
    lxw_row_t last = (lxw_row_t)(FIRST_DATA_ROW + n - 1), row = last + 1;
    bool labelled = false;
    for (size_t c = 0; c < ncols; c++) {
        const struct export_column *col = &s->cols[c];
        if (!col->total) {
            worksheet_write_string(ws, row, (lxw_col_t)c, labelled ? "" : "合计", f->total_label);
            labelled = true;
            continue;
        }
        int64_t fen = 0;
        double sum = 0;
        size_t i;
        json_t *item;
        json_array_foreach(items, i, item)
        {
            struct export_cell x;
            export_cell(col, item, &x);
            if (x.type == CELL_MONEY) fen += x.fen;
            if (x.type == CELL_NUMBER) sum += x.number;
        }
        char range[32], formula[48];
        lxw_rowcol_to_range(range, FIRST_DATA_ROW, (lxw_col_t)c, last, (lxw_col_t)c);
        snprintf(formula, sizeof formula, "=SUM(%s)", range);
        bool money = col->kind == EX_MONEY;
        worksheet_write_formula_num(ws, row, (lxw_col_t)c, formula,
                                    money ? f->total_money : f->total_count,
                                    money ? (double)fen / 100.0 : sum);
    }
}

/* Writes the workbook to path; LXW_NO_ERROR or the library's error. */
static lxw_error write_workbook(const char *path, struct request *req, const struct export_spec *s,
                                json_t *items)
{
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_worksheet *ws = workbook_add_worksheet(wb, s->title);
    if (!ws) ws = workbook_add_worksheet(wb, NULL);
    struct formats f;
    make_formats(wb, &f);
    size_t ncols = export_ncols(s), n = json_array_size(items);
    lxw_col_t lastc = (lxw_col_t)(ncols - 1);
    char subtitle[800];
    export_subtitle(req, subtitle, sizeof subtitle);
    fit_widths(ws, s, ncols, items);
    /* Rows strictly in order (constant_memory): title, filters, header. */
    worksheet_set_row(ws, TITLE_ROW, 30, NULL);
    if (ncols > 1) {
        worksheet_merge_range(ws, TITLE_ROW, 0, TITLE_ROW, lastc, s->title, f.title);
        worksheet_merge_range(ws, SUBTITLE_ROW, 0, SUBTITLE_ROW, lastc, subtitle, f.subtitle);
    } else {
        worksheet_write_string(ws, TITLE_ROW, 0, s->title, f.title);
        worksheet_write_string(ws, SUBTITLE_ROW, 0, subtitle, f.subtitle);
    }
    for (size_t c = 0; c < ncols; c++)
        worksheet_write_string(ws, HEADER_ROW, (lxw_col_t)c, s->cols[c].header, f.header);
    /* Set while the header row is still the current one: constant_memory
     * refuses ranges that start on a row already written out. */
    worksheet_freeze_panes(ws, FIRST_DATA_ROW, 0);
    worksheet_autofilter(ws, HEADER_ROW, 0, (lxw_row_t)(HEADER_ROW + n), lastc);
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) for (size_t c = 0; c < ncols; c++)
    {
        struct export_cell x;
        export_cell(&s->cols[c], item, &x);
        write_cell(ws, (lxw_row_t)(FIRST_DATA_ROW + i), (lxw_col_t)c, &x, &s->cols[c], &f);
    }
    bool totals = false;
    for (size_t c = 0; c < ncols; c++)
        totals = totals || s->cols[c].total;
    if (totals && n > 0) write_totals(ws, s, ncols, items, &f);
    worksheet_repeat_rows(ws, HEADER_ROW, HEADER_ROW); /* printed: header on every page */
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    return workbook_close(wb);
}

bool export_reply_xlsx(struct request *req, const struct export_spec *s, json_t *items)
{
    char path[] = "/tmp/yunquan-xlsx-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return false;
    close(fd);
    lxw_error err = write_workbook(path, req, s, items);
    /* The reply streams the file from its descriptor; the name goes now. */
    fd = err == LXW_NO_ERROR ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    unlink(path);
    if (fd < 0) return false;
    char name[256];
    export_file_name(s->title, "xlsx", name, sizeof name);
    api_reply_file(req, fd, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   name, NULL);
    return true;
}
