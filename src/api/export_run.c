/* Running an export (api/export.h): the handler's list into the file of
 * the asked format, then the file as the reply. A list that can stream
 * (export_spec.stream) is read in one query whose rows reach the writer
 * one by one (service/stream.h); any other comes chunk by chunk, one
 * chunk of JSON in memory at a time. The xlsx writer works in
 * constant_memory mode, so 100,000 rows cost about what 2,000 do. */
#include "api/api.h"
#include "api/export.h"
#include "core/mem.h"
#include "core/status.h"
#include "service/stream.h"
#include "service/tx.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void writer_free(struct request *req, bool finished)
{
    struct export_writer *w = req->export_writer;
    if (!w) return;
    if (!finished) w->format->abort(w);
    unlink(w->path);
    free(w);
    req->export_writer = NULL;
}

/* The writer, opened when the first items come: `total` of the list
 * (what the autofilter spans), `n` of them at hand. */
static struct export_writer *writer_open(struct request *req, const struct export_spec *s,
                                         const struct export_format *f, int64_t total, int64_t n,
                                         json_t *sample)
{
    struct export_writer *w = yq_calloc(1, sizeof *w);
    w->spec = s;
    w->format = f;
    w->ncols = export_ncols(s);
    w->expected = req->export_whole && total > n ? total : n;
    if (w->expected > HTTP_EXPORT_MAX) w->expected = HTTP_EXPORT_MAX;
    for (size_t c = 0; c < w->ncols; c++)
        w->width[c] = export_text_width(s->cols[c].header) + 2;
    snprintf(w->path, sizeof w->path, "/tmp/yunquan-export-XXXXXX");
    int fd = mkstemp(w->path);
    if (fd < 0) {
        free(w);
        return NULL;
    }
    close(fd);
    req->export_writer = w;
    w->sample = sample;
    bool begun = f->begin(w, req);
    w->sample = NULL;
    if (!begun) {
        unlink(w->path);
        free(w);
        req->export_writer = NULL;
        return NULL;
    }
    return w;
}

static void write_item(struct export_writer *w, json_t *item)
{
    for (size_t c = 0; c < w->ncols; c++) {
        struct export_cell x;
        export_cell(&w->spec->cols[c], item, &x);
        size_t width = export_cell_width(&x);
        if (x.type == CELL_MONEY) {
            width += width / 3 + 2; /* ¥ and thousands separators */
            w->fen[c] += x.fen;
        }
        if (x.type == CELL_NUMBER) w->sum[c] += x.number;
        if (width + 2 > w->width[c]) w->width[c] = width + 2;
        w->format->cell(w, w->rows, c, &x);
    }
    w->rows++;
}

static void write_items(struct export_writer *w, json_t *items)
{
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        if (w->rows >= HTTP_EXPORT_MAX) return;
        write_item(w, item);
    }
}

static const struct export_format *format_of(struct request *req)
{
    const char *format = http_query(req, "format");
    return format && strcmp(format, "csv") == 0 ? &export_csv : &export_xlsx;
}

/* A streamed item (service_item_fn): into the file, opened at the first. */
static bool stream_item(void *ctx, int64_t total, json_t *item)
{
    struct request *req = ctx;
    struct export_writer *w = req->export_writer;
    if (!w) {
        const struct export_spec *s = export_spec_find(req->match.route->pattern);
        if (!(w = writer_open(req, s, format_of(req), total, 0, item))) return false;
    }
    if (w->rows >= HTTP_EXPORT_MAX) return false;
    write_item(w, item);
    return w->rows < HTTP_EXPORT_MAX;
}

static bool reply_file(struct request *req, struct export_writer *w)
{
    int fd = open(w->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    char name[256];
    export_file_name(w->spec->title, w->format->ext, name, sizeof name);
    api_reply_file(req, fd, w->format->content_type, name, NULL);
    return true;
}

void api_reply_export(struct request *req, json_t *list, const char *format)
{
    const struct export_spec *s = export_spec_find(req->match.route->pattern);
    const struct export_format *f = strcmp(format, "csv") == 0 ? &export_csv : &export_xlsx;
    const char *what = f == &export_csv ? " CSV " : " Excel ";
    if (!s) {
        /* A record with a list inside (a redemption's items, a notice's
         * applications): bad input, not a server fault. Every list route
         * has a spec (tests/api/test_exports.py walks them). */
        http_reply_error(req, 422, "invalid_field", "format",
                         "该接口不提供%s导出，请去掉 format 或用 format=json", what);
        return;
    }
    json_t *items = json_object_get(list, "items");
    /* Streamed items are in the file already; this list has none. */
    struct export_writer *w = req->export_writer;
    if (!w && !(w = writer_open(req, s, f, json_integer_value(json_object_get(list, "total")),
                                (int64_t)json_array_size(items), json_array_get(items, 0)))) {
        http_reply_error(req, 500, "export_failed", NULL, "导出%s失败", what);
        return;
    }
    write_items(w, items);
    /* Another chunk when this one came through http_paging full and the
     * list goes on. A list read whole (budgets, a bank file) is done. */
    size_t n = json_array_size(items);
    json_int_t total = json_integer_value(json_object_get(list, "total"));
    if (req->export_whole && !req->export_stream && req->export_paged && n == HTTP_EXPORT_CHUNK &&
        w->rows < HTTP_EXPORT_MAX && req->export_offset + (int64_t)n < total) {
        req->export_more = true;
        return;
    }
    req->export_rows = w->rows;
    bool ok = f->finish(w) && reply_file(req, w);
    writer_free(req, true);
    if (!ok) http_reply_error(req, 500, "export_failed", NULL, "导出%s失败", what);
}

static int run_chunks(struct db *db, void *ctx, struct problem *p)
{
    struct request *req = ctx;
    do {
        req->export_more = false;
        req->export_paged = false;
        req->match.route->handler(req);
        req->export_offset += HTTP_EXPORT_CHUNK;
    } while (req->export_more && !req->replied);
    return YQ_OK;
}

/* The whole list in one run of the handler, its rows streamed to the
 * file as they are read. */
static int run_stream(struct db *db, void *ctx, struct problem *p)
{
    (void)db, (void)p;
    struct request *req = ctx;
    req->export_stream = true;
    service_stream_begin(stream_item, req, HTTP_EXPORT_MAX);
    req->match.route->handler(req);
    service_stream_end();
    return YQ_OK;
}

void export_run(struct request *req)
{
    const char *format = http_query(req, "format");
    /* Only the lists that have an export: other reads (and the few that
     * write, such as throttled public look-ups) run as they always do. */
    req->export_whole = strcmp(req->method, "GET") == 0 && format &&
                        (strcmp(format, "xlsx") == 0 || strcmp(format, "csv") == 0) &&
                        !http_query(req, "page") && !http_query(req, "page_size") &&
                        export_spec_find(req->match.route->pattern);
    if (!req->export_whole) {
        req->match.route->handler(req);
        return;
    }
    /* One snapshot for the count and all rows (or all chunks): rows
     * written meanwhile neither repeat nor go missing. */
    service_tx_fn run =
        export_spec_find(req->match.route->pattern)->stream ? run_stream : run_chunks;
    struct problem p;
    problem_clear(&p);
    int rc = req->db ? service_read(req->db, run, req, &p) : run(NULL, req, &p);
    if (req->export_writer) writer_free(req, false);
    if (!req->replied) {
        if (rc != YQ_OK)
            http_reply_problem(req, &p);
        else
            http_reply_error(req, 500, "export_failed", NULL, "导出失败");
    }
}
