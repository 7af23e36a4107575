/* Every list also answers ?format=xlsx (SPEC §12, §13; issue 10): a
 * workbook that reads like a government report. A merged title row naming
 * the report, a line with the filters and the moment of export, the
 * screen's columns under Chinese headers (frozen, with an autofilter),
 * money as numbers in 元 (¥#,##0.00), dates and instants as Excel dates in
 * China time, and a totals row where sums make sense. Rows are written in
 * order in libxlsxwriter's constant_memory mode, so the workbook costs a
 * small constant amount of memory whatever the number of rows; they come
 * a chunk at a time (export_run.c). */
#include "api/export.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define TITLE_ROW 0
#define SUBTITLE_ROW 1
#define HEADER_ROW 2
#define FIRST_DATA_ROW 3
#define MAX_WIDTH 60

struct formats {
    lxw_format *title, *subtitle, *header, *text, *money, *count, *score, *percent, *date, *instant;
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
    f->percent = fmt(wb, "0.00%", false);
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

struct book {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    struct formats f;
};

static bool begin(struct export_writer *w, struct request *req)
{
    struct book *b = yq_calloc(1, sizeof *b);
    w->impl = b;
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    b->wb = workbook_new_opt(w->path, &opt);
    if (!b->wb) return false;
    const struct export_spec *s = w->spec;
    b->ws = workbook_add_worksheet(b->wb, s->title);
    if (!b->ws) b->ws = workbook_add_worksheet(b->wb, NULL);
    make_formats(b->wb, &b->f);
    lxw_worksheet *ws = b->ws;
    lxw_col_t lastc = (lxw_col_t)(w->ncols - 1);
    char subtitle[800];
    export_subtitle(req, s, w->sample, subtitle, sizeof subtitle);
    /* Rows strictly in order (constant_memory): title, filters, header. */
    worksheet_set_row(ws, TITLE_ROW, 30, NULL);
    if (w->ncols > 1) {
        worksheet_merge_range(ws, TITLE_ROW, 0, TITLE_ROW, lastc, s->title, b->f.title);
        worksheet_merge_range(ws, SUBTITLE_ROW, 0, SUBTITLE_ROW, lastc, subtitle, b->f.subtitle);
    } else {
        worksheet_write_string(ws, TITLE_ROW, 0, s->title, b->f.title);
        worksheet_write_string(ws, SUBTITLE_ROW, 0, subtitle, b->f.subtitle);
    }
    for (size_t c = 0; c < w->ncols; c++)
        worksheet_write_string(ws, HEADER_ROW, (lxw_col_t)c, s->cols[c].header, b->f.header);
    /* Set while the header row is still the current one: constant_memory
     * refuses ranges that start on a row already written out. The rows to
     * come are those the first chunk announced. */
    worksheet_freeze_panes(ws, FIRST_DATA_ROW, 0);
    worksheet_autofilter(ws, HEADER_ROW, 0, (lxw_row_t)(HEADER_ROW + w->expected), lastc);
    worksheet_repeat_rows(ws, HEADER_ROW, HEADER_ROW); /* printed: header on every page */
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    return true;
}

/* Money into a cell (a formula's cached value when `formula` is given).
 * Money stays integer fen up to here; a spreadsheet number cell is a
 * binary floating-point value in libxlsxwriter's interface, so the cell
 * gets the value read from the exact decimal text ("1234.56"), never one
 * computed in floating point, and xlsx stores it back as that text. */
static void write_yuan(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *formula,
                       int64_t fen, lxw_format *f)
{
    char text[32];
    export_fen_text(fen, text, sizeof text);
    if (formula)
        worksheet_write_formula_num(ws, r, c, formula, f, strtod(text, NULL));
    else
        worksheet_write_number(ws, r, c, strtod(text, NULL), f);
}

static void cell(struct export_writer *w, int64_t row, size_t col, const struct export_cell *x)
{
    struct book *b = w->impl;
    lxw_worksheet *ws = b->ws;
    const struct formats *f = &b->f;
    lxw_row_t r = (lxw_row_t)(FIRST_DATA_ROW + row);
    lxw_col_t c = (lxw_col_t)col;
    switch (x->type) {
    case CELL_EMPTY:
        worksheet_write_blank(ws, r, c, f->text);
        break;
    case CELL_TEXT:
        worksheet_write_string(ws, r, c, x->text, f->text);
        break;
    case CELL_NUMBER:
        worksheet_write_number(ws, r, c, x->number,
                               w->spec->cols[col].kind == EX_SCORE ? f->score : f->count);
        break;
    case CELL_PERCENT:
        worksheet_write_number(ws, r, c, x->number, f->percent);
        break;
    case CELL_MONEY:
        write_yuan(ws, r, c, NULL, x->fen, f->money);
        break;
    case CELL_DATE:
        worksheet_write_number(ws, r, c, excel_serial(x->cst_ms), f->date);
        break;
    case CELL_INSTANT:
        worksheet_write_number(ws, r, c, excel_serial(x->cst_ms), f->instant);
        break;
    }
}

/* The totals row: SUM over the data rows, its value cached so that a
 * reader that does not compute formulas still shows the figure. Money is
 * summed exactly in fen. */
static void write_totals(struct export_writer *w, struct book *b)
{
    lxw_row_t last = (lxw_row_t)(FIRST_DATA_ROW + w->rows - 1), row = last + 1;
    bool labelled = false;
    for (size_t c = 0; c < w->ncols; c++) {
        const struct export_column *col = &w->spec->cols[c];
        if (!col->total) {
            worksheet_write_string(b->ws, row, (lxw_col_t)c, labelled ? "" : "合计",
                                   b->f.total_label);
            labelled = true;
            continue;
        }
        char range[32], formula[48];
        lxw_rowcol_to_range(range, FIRST_DATA_ROW, (lxw_col_t)c, last, (lxw_col_t)c);
        snprintf(formula, sizeof formula, "=SUM(%s)", range);
        if (col->kind == EX_MONEY)
            write_yuan(b->ws, row, (lxw_col_t)c, formula, w->fen[c], b->f.total_money);
        else
            worksheet_write_formula_num(b->ws, row, (lxw_col_t)c, formula, b->f.total_count,
                                        w->sum[c]);
    }
}

static bool finish(struct export_writer *w)
{
    struct book *b = w->impl;
    bool totals = false;
    for (size_t c = 0; c < w->ncols; c++)
        totals = totals || w->spec->cols[c].total;
    if (totals && w->rows > 0) write_totals(w, b);
    /* Widths that fit the content seen (CJK counted double), within
     * bounds; columns go before the rows in the file, so this may wait. */
    for (size_t c = 0; c < w->ncols; c++)
        worksheet_set_column(b->ws, (lxw_col_t)c, (lxw_col_t)c,
                             (double)(w->width[c] > MAX_WIDTH ? MAX_WIDTH : w->width[c]), NULL);
    lxw_error err = workbook_close(b->wb);
    free(b);
    w->impl = NULL;
    return err == LXW_NO_ERROR;
}

static void abort_book(struct export_writer *w)
{
    struct book *b = w->impl;
    if (!b) return;
    if (b->wb) workbook_close(b->wb);
    free(b);
    w->impl = NULL;
}

const struct export_format export_xlsx = {
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    begin,  cell,
    finish, abort_book,
};
