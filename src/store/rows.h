/* Rows as JSON objects: the generic reads and writes the resource stores
 * are built on. Column names come from our own code, never from requests;
 * values are always bound as parameters. Integer columns become JSON
 * integers, text becomes strings, NULL becomes null. */
#ifndef YQ_STORE_ROWS_H
#define YQ_STORE_ROWS_H

#include "store/db.h"

#include <jansson.h>

/* The first row of the query as an object. Returns YQ_OK with *out set,
 * YQ_ENOTFOUND with *out NULL, or an error status. */
int rows_one(struct db *db, json_t **out, const char *sql, const char *types, ...);
/* Every row as an array of objects; NULL on error. */
json_t *rows_all(struct db *db, const char *sql, const char *types, ...);
/* The current row of a stepped statement as an object. */
json_t *rows_object(struct db_stmt *st);
/* A single integer (COUNT(*) and the like); YQ_OK or an error. */
int rows_int(struct db *db, int64_t *out, const char *sql, const char *types, ...);

/* INSERT INTO table (keys of obj) VALUES (...). Booleans become 0/1;
 * objects and arrays are stored as their compact JSON text. */
int rows_insert(struct db *db, const char *table, json_t *obj);
/* UPDATE table SET (keys of fields) WHERE id = ?. YQ_ENOTFOUND if no row. */
int rows_update(struct db *db, const char *table, const char *id, json_t *fields);

#endif
