/* Queries over programs and their parameter versions (the rules that read
 * them are in service/programs.c). */
#ifndef YQ_STORE_PROGRAMS_H
#define YQ_STORE_PROGRAMS_H

#include "store/db.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* {id, name, doc_no, city_code, city_name, version}; YQ_OK, YQ_ENOTFOUND or
 * an error. */
int program_row(struct db *db, const char *id, json_t **program, int *version);
/* The parameters of one version, parsed; NULL if missing or unreadable. */
json_t *program_params_at(struct db *db, const char *id, int version);
/* The program's current version and that version's parameters' text (the
 * caller frees), in one statement; YQ_ENOTFOUND when there is no such
 * program, an error when its current version's row is missing. */
int program_current_params_text(struct db *db, const char *id, int *version, char **text);
/* The same in two halves, so that the reads between them share its round
 * trip (db_send_ahead): the read, sent (NULL on error); then its answer,
 * which finalizes it (a NULL read is an error). */
struct db_stmt *program_current_params_send(struct db *db, const char *id);
int program_current_params_take(struct db_stmt *st, int *version, char **text);
int program_insert(struct db *db, const char *id, const char *name, const char *doc_no,
                   const char *city_code, const char *city_name, int64_t now);
int program_version_insert(struct db *db, const char *id, int version, json_t *params,
                           const char *reason, const char *changed_by, int64_t now);
int program_set_current(struct db *db, const char *id, int version);
/* The city code of the oldest program: YQ_OK with it in out (n bytes),
 * YQ_ENOTFOUND when there is no program, or an error. */
int program_first_city_code(struct db *db, char *out, size_t n);
/* Program ids, oldest first. */
json_t *program_ids(struct db *db);
/* Versions, newest first: [{version, params_json, reason, changed_by, changed_at}]. */
json_t *program_history(struct db *db, const char *id);
/* Every program with its current parameters (text), newest first. */
json_t *program_current_params(struct db *db);

#endif
