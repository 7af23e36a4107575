/* Counties (附件3): codes, names, 2018 targets. */
#include "store/users.h"
#include "core/status.h"
#include "store/rows.h"

json_t *counties_list(struct db *db)
{
    struct db_stmt *st = db_query(
        db, "SELECT code, name, kind, target_2018, enterprise_count FROM counties ORDER BY code",
        NULL);
    if (!st) return NULL;
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "code", db_col_text(st, 0), "name",
                              db_col_text(st, 1), "kind", db_col_text(st, 2), "target_2018",
                              (json_int_t)db_col_int64(st, 3));
        json_object_set_new(o, "enterprise_count",
                            db_col_null(st, 4) ? json_null()
                                               : json_integer(db_col_int64(st, 4)));
        json_array_append_new(items, o);
    }
    db_finalize(st);
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    size_t n = json_array_size(items);
    return json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)n);
}

int counties_exists(struct db *db, const char *code)
{
    struct db_stmt *st = db_query(db, "SELECT 1 FROM counties WHERE code = ?", "t", code);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    db_finalize(st);
    if (rc == DB_ROW) return YQ_OK;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc;
}

int counties_upsert(struct db *db, const char *code, const char *name, const char *kind,
                    int64_t target_2018, bool official)
{
    int rc = db_run(db,
                    "UPDATE counties SET name = ?, kind = ?, target_2018 = ?,"
                    " code_is_official = ? WHERE code = ?",
                    "ttibt", name, kind, target_2018, (int)official, code);
    if (rc != YQ_OK || db_changes(db) > 0) return rc;
    return db_run(db,
                  "INSERT INTO counties(code, name, kind, target_2018, code_is_official)"
                  " VALUES (?,?,?,?,?)",
                  "tttib", code, name, kind, target_2018, (int)official);
}

int counties_get(struct db *db, const char *code, json_t **out)
{
    return rows_one(db, out,
                    "SELECT code, name, kind, code_is_official FROM counties WHERE code = ?", "t",
                    code);
}
