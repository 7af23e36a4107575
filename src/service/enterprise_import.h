/* CSV import of enterprises by a county's 经信 department (issue 10): the
 * file is decoded (UTF-8 or GBK), every row checked, and either every
 * error reported by line and column or all rows committed in one
 * transaction. See docs/import.md. */
#ifndef YQ_SERVICE_ENTERPRISE_IMPORT_H
#define YQ_SERVICE_ENTERPRISE_IMPORT_H

#include "core/problem.h"
#include "service/actor.h"
#include "store/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Called as rows are checked and written: `done` of `total` steps. */
typedef void (*import_progress_fn)(void *ctx, long done, long total);

struct import_request {
    const char *county_code; /* where the enterprises go */
    const char *data;        /* the file's bytes, as uploaded */
    size_t len;
    bool commit; /* false: preview only, nothing written */
    import_progress_fn progress;
    void *progress_ctx;
};

/* Checks (and with commit, writes) the file. Returns YQ_OK with *out =
 * {county_code, county_name, encoding, rows, errors:[{line, column, field,
 * code, message}], committed}: a preview always, a commit when no row has
 * an error (then every enterprise is written, approved, each with a locked
 * account named by its USCC, and one audit entry). A commit refused for
 * errors returns YQ_EINVAL (code import_has_errors) with *out holding the
 * errors and nothing written. Without *out: YQ_ELIMIT for a file over
 * IMPORT_MAX_BYTES or IMPORT_MAX_ROWS rows, YQ_EFORBIDDEN for a county the
 * actor does not work for, YQ_EINVAL for an unknown county, or a database
 * failure. The caller owns *out. */
int enterprise_import(struct db *db, const struct actor *a, const struct import_request *rq,
                      json_t **out, struct problem *p);

/* The template: the header row, UTF-8 with a BOM (so that Excel opens it
 * as UTF-8); no example row, which could be imported by mistake. Malloc'ed; *len set. */
char *enterprise_import_template(size_t *len);

#endif
