/* Generic row reads and writes. */
#include "store/rows.h"
#include "core/mem.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/status.h"
#include "core/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rows_copy(char *dst, size_t n, const char *src)
{
    if (n == 0) return;
    size_t len = src ? strnlen(src, n - 1) : 0; /* cut to fit, as snprintf did */
    if (len) memcpy(dst, src, len);
    dst[len] = '\0';
}

json_t *rows_object(struct db_stmt *st)
{
    json_t *o = json_object();
    int n = db_col_count(st);
    for (int i = 0; i < n; i++) {
        json_t *v;
        if (db_col_null(st, i))
            v = json_null();
        else if (db_col_is_int(st, i))
            v = json_integer(db_col_int64(st, i));
        else
            v = json_string(db_col_text(st, i));
        json_object_set_new(o, db_col_name(st, i), v ? v : json_null());
    }
    return o;
}

void rows_instants(json_t *row, ...)
{
    va_list ap;
    va_start(ap, row);
    const char *key;
    while ((key = va_arg(ap, const char *))) {
        json_t *t = json_object_get(row, key);
        if (!json_is_integer(t)) continue;
        char at[32];
        clock_format_iso(json_integer_value(t), at);
        json_object_set_new(row, key, json_string(at));
    }
    va_end(ap);
}

const char *rows_str(json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));
    return s ? s : "";
}

int rows_one(struct db *db, json_t **out, const char *sql, const char *types, ...)
{
    *out = NULL;
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st = db_vquery_borrowed(db, sql, types, ap);
    va_end(ap);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) *out = rows_object(st);
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc;
}

json_t *rows_every(struct db_stmt *st)
{
    if (!st) return NULL;
    json_t *all = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(all, rows_object(st));
    db_finalize(st);
    if (rc < 0) {
        json_decref(all);
        return NULL;
    }
    return all;
}

json_t *rows_all(struct db *db, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st = db_vquery_borrowed(db, sql, types, ap);
    va_end(ap);
    return st ? rows_every(st) : NULL;
}

int rows_int(struct db *db, int64_t *out, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    struct db_stmt *st = db_vquery_borrowed(db, sql, types, ap);
    va_end(ap);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    *out = rc == DB_ROW && !db_col_null(st, 0) ? db_col_int64(st, 0) : 0;
    db_finalize(st);
    return rc < 0 ? rc : YQ_OK;
}

/* Binds one JSON value; text it makes is owned by `keep` until the step. */
static void bind_value(struct db_stmt *st, int idx, json_t *v, json_t *keep)
{
    if (json_is_null(v)) {
        db_bind_null(st, idx);
    } else if (json_is_integer(v)) {
        db_bind_int64(st, idx, json_integer_value(v));
    } else if (json_is_boolean(v)) {
        db_bind_int64(st, idx, json_is_true(v) ? 1 : 0);
    } else if (json_is_string(v)) {
        db_bind_text(st, idx, json_string_value(v));
    } else {
        char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
        json_array_append_new(keep, json_string(text));
        free(text);
        db_bind_text(st, idx, json_string_value(json_array_get(keep, json_array_size(keep) - 1)));
    }
}

static int run_built(struct db *db, const char *sql, json_t *obj, const char *extra_id)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return YQ_ERR;
    json_t *keep = json_array();
    int idx = 1;
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) bind_value(st, idx++, v, keep);
    if (extra_id) db_bind_text(st, idx, extra_id);
    int rc = db_step(st);
    db_finalize(st);
    json_decref(keep);
    return rc == DB_DONE ? YQ_OK : rc;
}

int rows_insert(struct db *db, const char *table, json_t *obj)
{
    struct buf sql, vals;
    buf_init(&sql, 16384);
    buf_init(&vals, 4096);
    buf_printf(&sql, "INSERT INTO %s (", table);
    const char *key;
    json_t *v;
    bool first = true;
    json_object_foreach(obj, key, v)
    {
        buf_printf(&sql, "%s%s", first ? "" : ", ", key);
        buf_puts(&vals, first ? "?" : ", ?");
        first = false;
    }
    buf_printf(&sql, ") VALUES (%s)", vals.data ? vals.data : "");
    int rc = run_built(db, sql.data, obj, NULL);
    buf_cleanup(&sql);
    buf_cleanup(&vals);
    return rc;
}

int rows_update(struct db *db, const char *table, const char *id, json_t *fields)
{
    if (json_object_size(fields) == 0) return YQ_OK;
    struct buf sql;
    buf_init(&sql, 16384);
    buf_printf(&sql, "UPDATE %s SET ", table);
    const char *key;
    json_t *v;
    bool first = true;
    json_object_foreach(fields, key, v)
    {
        buf_printf(&sql, "%s%s = ?", first ? "" : ", ", key);
        first = false;
    }
    buf_puts(&sql, " WHERE id = ?");
    int rc = run_built(db, sql.data, fields, id);
    buf_cleanup(&sql);
    if (rc == YQ_OK && db_changes(db) == 0) return YQ_ENOTFOUND;
    return rc;
}

void rows_where_init(struct rows_where *w)
{
    buf_init(&w->sql, 8192);
    w->n = 0;
    w->cap = 0;
    w->args = NULL;
}

static struct rows_where_arg *next_arg(struct rows_where *w)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 16;
        w->args = yq_realloc(w->args, (size_t)w->cap * sizeof *w->args);
    }
    return &w->args[w->n++];
}

static void where_fragment(struct rows_where *w, const char *fragment)
{
    buf_puts(&w->sql, w->sql.len ? " AND " : " WHERE ");
    buf_puts(&w->sql, fragment);
}

void rows_where_text(struct rows_where *w, const char *fragment, const char *arg, int times)
{
    where_fragment(w, fragment);
    for (int i = 0; i < times; i++) {
        struct rows_where_arg *a = next_arg(w);
        a->type = 't';
        a->text = arg;
    }
}

void rows_where_in(struct rows_where *w, const char *column, const char *const *values, int n)
{
    if (n <= 0) {
        where_fragment(w, "1 = 0");
        return;
    }
    struct buf frag;
    buf_init(&frag, 64 * 1024);
    buf_printf(&frag, "%s IN (", column);
    for (int i = 0; i < n; i++)
        buf_puts(&frag, i ? ", ?" : "?");
    buf_puts(&frag, ")");
    where_fragment(w, frag.data);
    buf_cleanup(&frag);
    for (int i = 0; i < n; i++) {
        struct rows_where_arg *a = next_arg(w);
        a->type = 't';
        a->text = values[i];
    }
}

void rows_where_sql(struct rows_where *w, const char *fragment)
{
    where_fragment(w, fragment);
}

void rows_where_int(struct rows_where *w, const char *fragment, int64_t arg)
{
    where_fragment(w, fragment);
    struct rows_where_arg *a = next_arg(w);
    a->type = 'i';
    a->num = arg;
}

void rows_where_cleanup(struct rows_where *w)
{
    buf_cleanup(&w->sql);
    free(w->args);
    w->args = NULL;
    w->n = w->cap = 0;
}

static void bind_where(struct db_stmt *st, const struct rows_where *w)
{
    for (int i = 0; i < w->n; i++) {
        if (w->args[i].type == 't')
            db_bind_text(st, i + 1, w->args[i].text);
        else
            db_bind_int64(st, i + 1, w->args[i].num);
    }
}

static _Thread_local struct rows_sink *sink;

void rows_sink_set(struct rows_sink *s)
{
    sink = s;
}

void rows_sink_map(void (*map)(json_t *row))
{
    if (!sink || sink->spent) return;
    if (sink->nmaps < (int)(sizeof sink->maps / sizeof sink->maps[0]))
        sink->maps[sink->nmaps++] = map;
    else
        abort(); /* a programming error: more touches than any list has */
}

/* Steps the list's query to its end, each row through the maps to the
 * sink; a status. */
static int stream_rows(struct db_stmt *st, struct rows_sink *s, int64_t total)
{
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *row = rows_object(st);
        for (int i = s->nmaps - 1; i >= 0; i--)
            s->maps[i](row);
        s->rows++;
        bool more = s->row(s->ctx, total, row);
        json_decref(row);
        if (!more) return YQ_OK;
    }
    return rc < 0 ? rc : YQ_OK;
}

json_t *rows_page(struct db *db, const char *select, const char *from, struct rows_where *w,
                  const char *order, int64_t offset, int64_t limit)
{
    const char *where = w->sql.data ? w->sql.data : "";
    struct rows_sink *s = sink && !sink->spent ? sink : NULL;
    struct buf sql;
    buf_init(&sql, 32768);
    json_t *result = NULL;
    buf_printf(&sql, "SELECT COUNT(*) %s%s", from, where);
    struct db_stmt *st = db_prepare(db, sql.data);
    if (!st) goto out;
    bind_where(st, w);
    int rc = db_step(st);
    int64_t total = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    db_finalize(st);
    if (rc < 0) goto out;
    if (s) {
        s->spent = true;
        offset = 0;
        limit = s->max;
    }
    buf_reset(&sql);
    buf_printf(&sql, "SELECT %s %s%s ORDER BY %s LIMIT ? OFFSET ?", select, from, where, order);
    if (!(st = db_prepare(db, sql.data))) goto out;
    bind_where(st, w);
    db_bind_int64(st, w->n + 1, limit);
    db_bind_int64(st, w->n + 2, offset);
    json_t *items = json_array();
    if (s)
        rc = stream_rows(st, s, total);
    else
        while ((rc = db_step(st)) == DB_ROW)
            json_array_append_new(items, rows_object(st));
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        goto out;
    }
    result = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
out:
    buf_cleanup(&sql);
    return result;
}

json_t *rows_where_all(struct db *db, const char *head, struct rows_where *w, const char *tail)
{
    struct buf sql;
    buf_init(&sql, 65536);
    json_t *all = NULL;
    struct db_stmt *st = NULL;
    if (buf_printf(&sql, "%s%s%s", head, w->sql.data ? w->sql.data : "", tail) != YQ_OK ||
        !(st = db_prepare(db, sql.data)))
        goto out;
    bind_where(st, w);
    all = rows_every(st);
out:
    buf_cleanup(&sql);
    return all;
}

/* The pattern is valid UTF-8 and cut at a character boundary: PostgreSQL
 * refuses a parameter with a broken sequence (a search of 100 汉字 would
 * answer 500), where SQLite merely matched nothing. */
void rows_like(char *out, size_t n, const char *q)
{
    char clean[512];
    utf8_sanitize(clean, sizeof clean, q);
    size_t j = 0;
    out[j++] = '%';
    for (const char *p = clean; *p;) {
        unsigned char c = (unsigned char)*p;
        size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        bool esc = *p == '%' || *p == '_' || *p == '\\';
        if (j + esc + len + 2 > n) break; /* room for the closing % and NUL */
        if (esc) out[j++] = '\\';
        memcpy(out + j, p, len);
        j += len;
        p += len;
    }
    out[j++] = '%';
    out[j] = '\0';
}
