/* Rows as JSON objects: the generic reads and writes the resource stores
 * are built on. Column names come from our own code, never from requests;
 * values are always bound as parameters. Integer columns become JSON
 * integers, text becomes strings, NULL becomes null. */
#ifndef YQ_STORE_ROWS_H
#define YQ_STORE_ROWS_H

#include "core/buf.h"
#include "store/db.h"

#include <jansson.h>

/* The first row of the query as an object. Returns YQ_OK with *out set,
 * YQ_ENOTFOUND with *out NULL, or an error status. */
int rows_one(struct db *db, json_t **out, const char *sql, const char *types, ...);
/* Every row as an array of objects; NULL on error. */
json_t *rows_all(struct db *db, const char *sql, const char *types, ...);
/* Steps a prepared statement to its end: every row as an array of
 * objects, NULL on error (or st NULL); finalizes it either way. */
json_t *rows_every(struct db_stmt *st);
/* The current row of a stepped statement as an object. */
json_t *rows_object(struct db_stmt *st);
/* Shows the named integer members of a row (instants in ms) as ISO 8601
 * in China time; other values are left alone. The list ends with NULL. */
void rows_instants(json_t *row, ...) __attribute__((sentinel));

/* Copies a column's text into a fixed buffer ("" for NULL), cut to fit. */
void rows_copy(char *dst, size_t n, const char *src);

/* A text member of a row, or "" when it is missing or not text. */
const char *rows_str(json_t *row, const char *key);

/* A single integer (COUNT(*) and the like); YQ_OK or an error. */
int rows_int(struct db *db, int64_t *out, const char *sql, const char *types, ...);

/* INSERT INTO table (keys of obj) VALUES (...). Booleans become 0/1;
 * objects and arrays are stored as their compact JSON text. */
int rows_insert(struct db *db, const char *table, json_t *obj);
/* UPDATE table SET (keys of fields) WHERE id = ?. YQ_ENOTFOUND if no row. */
int rows_update(struct db *db, const char *table, const char *id, json_t *fields);

/* A WHERE clause built from fixed fragments of our own code, with its
 * parameters bound in order (never spliced into the SQL). The parameter
 * list grows as needed: every placeholder gets its own argument. */
struct rows_where_arg {
    char type; /* 't' or 'i' */
    const char *text;
    int64_t num;
};
struct rows_where {
    struct buf sql;
    int n, cap;
    struct rows_where_arg *args;
};

void rows_where_init(struct rows_where *w);
/* Adds "AND fragment", binding `arg` to each of its `times` placeholders. */
void rows_where_text(struct rows_where *w, const char *fragment, const char *arg, int times);
void rows_where_int(struct rows_where *w, const char *fragment, int64_t arg);
/* Adds "AND column IN (?, …)" over the n values (n ≥ 1; with n = 0 the
 * clause matches nothing). */
void rows_where_in(struct rows_where *w, const char *column, const char *const *values, int n);
/* Adds "AND fragment" with no parameter. */
void rows_where_sql(struct rows_where *w, const char *fragment);
void rows_where_cleanup(struct rows_where *w);

/* {"items":[rows], "total":N}: "SELECT COUNT(*) <from> <where>", then
 * "SELECT <select> <from> <where> ORDER BY <order> LIMIT ? OFFSET ?".
 * NULL on error. */
json_t *rows_page(struct db *db, const char *select, const char *from, struct rows_where *w,
                  const char *order, int64_t offset, int64_t limit);

/* A list streamed to an export (issue 10) instead of paged. While a sink
 * is set on this thread, the next rows_page counts its rows once, reads
 * them in one query without OFFSET (at most `max`), and hands each row,
 * through the maps given with rows_sink_map, to `row` as it is stepped,
 * freeing it afterwards: memory stays that of one row and the work is
 * linear. That rows_page answers {"items":[], "total":N} and spends the
 * sink (later reads of the same request page as usual). */
struct rows_sink {
    /* Takes one row (borrowed); false stops the read. */
    bool (*row)(void *ctx, int64_t total, json_t *row);
    void *ctx;
    int64_t max;
    void (*maps[4])(json_t *row); /* the list's own touches of its items */
    int nmaps;
    bool spent;   /* a rows_page has used it */
    int64_t rows; /* rows handed over */
};
/* Sets (or with NULL clears) this thread's sink; borrowed until cleared. */
void rows_sink_set(struct rows_sink *s);
/* Adds a touch each streamed row gets before the sink sees it, the one
 * the caller gives the items of the page rows_page returns (a status's
 * name, instants in ISO 8601). Maps run last added first: the store's
 * own before the service's, as on a page. Nothing without a live sink. */
void rows_sink_map(void (*map)(json_t *row));

/* Every row of "<head> <where> <tail>" as an array of objects (a grouped
 * or joined read under a typed filter); NULL on error. */
json_t *rows_where_all(struct db *db, const char *head, struct rows_where *w, const char *tail);

/* A LIKE pattern matching `q` anywhere, with % _ \ escaped (use ESCAPE '\'). */
void rows_like(char *out, size_t n, const char *q);

#endif
