/* Exports of lists for people (issue 10): every list route that answers
 * ?format=xlsx or ?format=csv has a spec here naming the report, and per
 * column the Chinese header, where the value sits in each item and how it
 * is shown. The handler's JSON stays as it is; the writers walk `items`
 * with the spec.
 *   export_specs.c  the table, keyed by route path
 *   export_cells.c  one item's value → a cell (money in 元, China time)
 *   xlsx.c          the workbook (constant memory)
 *   csv_export.c    the same columns as UTF-8 CSV with a BOM
 */
#ifndef YQ_API_EXPORT_H
#define YQ_API_EXPORT_H

#include "http/request.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum export_kind {
    EX_TEXT,          /* a string as sent (also a number) */
    EX_MONEY,         /* integer fen, shown as 元: ¥#,##0.00 */
    EX_INT,           /* a count */
    EX_DATE,          /* "YYYY-MM-DD" → an Excel date */
    EX_INSTANT,       /* ISO 8601 with offset, or epoch ms → China time */
    EX_BOOL,          /* true → 是, false → 否 */
    EX_ROLE,          /* role code → 企业用户 … */
    EX_PROVIDER_KIND, /* platform → 综合云平台服务商 … */
    EX_INDUSTRY,      /* "C" → "C 制造业" */
    EX_FLAGS,         /* array of priority flags → 科技型、… */
    EX_LIST,          /* array of strings joined by 、 */
    EX_PERIOD,        /* 2019H1 → 2019年上半年 */
    EX_SCORE,         /* hundredths → 87.10 */
    EX_COUNTY_KIND,   /* district → 市辖区 */
    EX_ENTITY,        /* audit entity → 合同 … */
    EX_AUDIT_ACTION,  /* audit action, in the words of the item's entity → 确认 … */
    EX_ACTOR,         /* username; the command line's "cli:…" → 系统命令行（运维） */
    EX_LOCKED,        /* account locked flag → 已停用 / 正常 */
    EX_LIFTED,        /* negative list lifted_at → 已移出 / 在列 */
    EX_TRANSFER,      /* ledger transfer kind → 预占 … */
    EX_AWARD,         /* award states and recipient kinds → 已拨付, 标杆企业 … */
    EX_PERCENT_BP,    /* basis points → a percentage (2500 → 25.00%) */
};

struct export_column {
    const char *header; /* Chinese, as on the screen */
    const char *key;    /* member of the item */
    const char *sub;    /* member of that member (an object), or NULL */
    enum export_kind kind;
    bool total;      /* summed in the totals row */
    const char *alt; /* used when key is missing or null, or NULL */
};

#define EXPORT_MAX_COLUMNS 16

struct export_spec {
    const char *route;                             /* route path pattern, as in routes.c */
    const char *title;                             /* the report's name: title row, sheet, file */
    struct export_column cols[EXPORT_MAX_COLUMNS]; /* ends at header NULL */
    /* The list's items are its store rows, each touched on its own
     * (service/stream.h): a whole export reads them in one streamed query
     * instead of chunk by chunk. */
    bool stream;
};

/* The spec of a route path pattern, or NULL when the route has none. */
const struct export_spec *export_spec_find(const char *route);
/* All specs (for the tests' sake: each names a route). */
extern const struct export_spec export_specs[];
extern const size_t export_spec_count;
size_t export_ncols(const struct export_spec *s);

/* One value ready for a writer. Text is borrowed from the item or kept in
 * own[]; numbers are exact (money in fen). */
enum cell_type {
    CELL_EMPTY,
    CELL_TEXT,
    CELL_NUMBER,
    CELL_PERCENT, /* number is a fraction: 0.25 → 25.00% */
    CELL_MONEY,
    CELL_DATE,
    CELL_INSTANT
};
struct export_cell {
    enum cell_type type;
    const char *text;
    double number;  /* CELL_NUMBER */
    int64_t fen;    /* CELL_MONEY */
    int64_t cst_ms; /* CELL_DATE (midnight) and CELL_INSTANT, shifted to China time */
    char own[320];
};

/* The cell of column c for item. */
void export_cell(const struct export_column *c, json_t *item, struct export_cell *out);
/* The cell as text (money "1234.50", dates "2019-07-01", instants
 * "2019-07-01 09:00:00") into out. Returns out. */
const char *export_cell_text(const struct export_cell *cell, char *out, size_t n);
/* An amount of fen as exact decimal 元 text ("-1234.50"), by integer
 * arithmetic. */
void export_fen_text(int64_t fen, char *out, size_t n);
/* export_text_width of the cell's text, without making the text when it
 * can be told otherwise (text, dates, instants). */
size_t export_cell_width(const struct export_cell *cell);
/* How wide the text is in Excel character units (CJK counts two). */
size_t export_text_width(const char *s);
/* The line under the title (export_subtitle.c): the filters the list
 * applied, values in Chinese (`sample`, the list's first item or NULL,
 * names what only the rows know), and the moment of export in China time,
 * into out. */
void export_subtitle(struct request *req, const struct export_spec *s, json_t *sample, char *out,
                     size_t n);
/* The name of an OpenAPI parameter (`param`, {"name":…} or {"$ref":…} in
 * doc) when it is a query parameter, else NULL. */
const char *export_query_param_name(json_t *doc, json_t *param);
/* The download's name: "<title>-<YYYY-MM-DD>.<ext>", the day in China. */
void export_file_name(const char *title, const char *ext, char *out, size_t n);

/* A file being written, chunk by chunk (export_run.c). The common part
 * turns items into cells, keeps the widths and the totals; a format
 * (xlsx.c, csv_export.c) puts cells in its file. */
struct export_writer {
    const struct export_spec *spec;
    const struct export_format *format;
    size_t ncols;
    char path[64];                    /* the temporary file */
    int64_t rows;                     /* data rows written so far */
    int64_t expected;                 /* rows the first chunk announced (its "total") */
    size_t width[EXPORT_MAX_COLUMNS]; /* widest text per column */
    int64_t fen[EXPORT_MAX_COLUMNS];  /* money totals, exact */
    double sum[EXPORT_MAX_COLUMNS];   /* count totals */
    void *impl;                       /* the format's own state */
    json_t *sample;                   /* the first item, while begin runs */
};

struct export_format {
    const char *ext, *content_type;
    /* Opens the file at w->path and writes what precedes the rows. */
    bool (*begin)(struct export_writer *w, struct request *req);
    void (*cell)(struct export_writer *w, int64_t row, size_t col, const struct export_cell *x);
    /* Writes what follows the rows and closes the file: true when whole. */
    bool (*finish)(struct export_writer *w);
    /* Closes without finishing (the file is then removed). */
    void (*abort)(struct export_writer *w);
};

extern const struct export_format export_xlsx, export_csv;

/* Runs the matched route's handler as an export: once for a page asked
 * for, or once per chunk of the whole list (req->export_whole) inside
 * one read snapshot, so that the chunks agree. Whatever happens, the
 * temporary file is gone when it returns. */
void export_run(struct request *req);

/* What the command line's export got (api/export_cli.c). */
struct export_cli_result {
    int status;          /* the HTTP status the same export gets over the API */
    int fd;              /* status 200: the file, read from its start; the caller closes it */
    int64_t rows;        /* status 200: its data rows */
    char file_name[256]; /* status 200: the web download's name (export_file_name) */
    char message[1024];  /* otherwise: why not, in Chinese */
    char note[1024];     /* "" or a note: filters the list does not have (ignored) */
};

/* Exports `list` (a list route as the API names it, with or without
 * /api/v1/) as `format` ("xlsx" or "csv") for `actor`, the query filters
 * names[i]=values[i] checked by the list's own handler: the same file,
 * or the same refusal, as GET /api/v1/<list>?format=… by that actor. */
void export_cli_run(struct db *db, const struct actor *actor, const char *list, const char *format,
                    const char *const *names, const char *const *values, int n,
                    struct export_cli_result *out);

#endif
