/* Program queries. */
#include "store/programs.h"
#include "core/mem.h"
#include "core/status.h"
#include "store/rows.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

int program_row(struct db *db, const char *id, json_t **program, int *version)
{
    json_t *row = NULL;
    int rc = rows_one(db, &row,
                      "SELECT id, name, doc_no, city_code, city_name, current_version AS version"
                      " FROM programs WHERE id = ?",
                      "t", id);
    *program = row;
    if (rc == YQ_OK) *version = (int)json_integer_value(json_object_get(row, "version"));
    return rc;
}

json_t *program_params_at(struct db *db, const char *id, int version)
{
    json_t *row = NULL;
    if (rows_one(db, &row,
                 "SELECT params_json FROM program_versions WHERE program_id = ? AND version = ?",
                 "ti", id, (int64_t)version) != YQ_OK)
        return NULL;
    json_t *params = json_loads(json_string_value(json_object_get(row, "params_json")), 0, NULL);
    json_decref(row);
    return params;
}

static struct db_stmt *params_query(struct db *db, const char *id)
{
    return db_query(db,
                    "SELECT p.current_version, v.params_json FROM programs p LEFT JOIN"
                    " program_versions v ON v.program_id = p.id AND v.version = p.current_version"
                    " WHERE p.id = ?",
                    "t", id);
}

int program_current_params_text(struct db *db, const char *id, int *version, char **text)
{
    return program_current_params_take(params_query(db, id), version, text);
}

struct db_stmt *program_current_params_send(struct db *db, const char *id)
{
    return db_send_ahead(params_query(db, id));
}

int program_current_params_take(struct db_stmt *st, int *version, char **text)
{
    *text = NULL;
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    /* A program without its current version's row is damage, not "no
     * such program". */
    bool whole = rc == DB_ROW && db_col_text(st, 1);
    if (whole) {
        *version = (int)db_col_int64(st, 0);
        *text = yq_strdup(db_col_text(st, 1));
    }
    db_finalize(st);
    if (rc == DB_ROW) return whole ? YQ_OK : YQ_ERR;
    return rc == DB_DONE ? YQ_ENOTFOUND : rc < 0 ? rc : YQ_ERR;
}

int program_insert(struct db *db, const char *id, const char *name, const char *doc_no,
                   const char *city_code, const char *city_name, int64_t now)
{
    return db_run(db,
                  "INSERT INTO programs(id, name, doc_no, city_code, city_name, current_version,"
                  " created_at) VALUES (?,?,?,?,?,1,?)",
                  "ttttti", id, name, doc_no, city_code, city_name, now);
}

int program_version_insert(struct db *db, const char *id, int version, json_t *params,
                           const char *reason, const char *changed_by, int64_t now)
{
    char *text = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
    int rc = db_run(db,
                    "INSERT INTO program_versions(program_id, version, params_json, reason,"
                    " changed_by, changed_at) VALUES (?,?,?,?,?,?)",
                    "titt" "ti", id, (int64_t)version, text, reason, changed_by, now);
    free(text);
    return rc;
}

int program_set_current(struct db *db, const char *id, int version)
{
    return db_run(db, "UPDATE programs SET current_version = ? WHERE id = ?", "it",
                  (int64_t)version, id);
}

int program_first_city_code(struct db *db, char *out, size_t n)
{
    json_t *row = NULL;
    int rc = rows_one(db, &row, "SELECT city_code FROM programs ORDER BY created_at LIMIT 1", NULL);
    if (rc == YQ_OK) snprintf(out, n, "%s", rows_str(row, "city_code"));
    json_decref(row);
    return rc;
}

json_t *program_ids(struct db *db)
{
    return rows_all(db, "SELECT id FROM programs ORDER BY created_at, id", NULL);
}

json_t *program_history(struct db *db, const char *id)
{
    return rows_all(db,
                    "SELECT version, params_json, reason, changed_by, changed_at FROM"
                    " program_versions WHERE program_id = ? ORDER BY version DESC",
                    "t", id);
}

json_t *program_current_params(struct db *db)
{
    return rows_all(db,
                    "SELECT pr.id, pv.params_json FROM programs pr JOIN program_versions pv ON"
                    " pv.program_id = pr.id AND pv.version = pr.current_version"
                    " ORDER BY pr.created_at DESC, pr.id DESC",
                    NULL);
}
