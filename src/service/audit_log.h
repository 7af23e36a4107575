/* Reading the audit log (SPEC §10) for auditors and the administrator: the
 * filters of a request, checked, over store/audit.h. */
#ifndef YQ_SERVICE_AUDIT_LOG_H
#define YQ_SERVICE_AUDIT_LOG_H

#include "core/problem.h"
#include "store/db.h"

#include <jansson.h>
#include <stdint.h>

struct audit_query {
    const char *entity, *entity_id, *actor; /* NULL or "": any */
    const char *q; /* a record's business code or id, exactly; NULL or "": any */
    const char *from, *to;      /* YYYY-MM-DD (China) or an ISO instant; NULL or "": open */
    int64_t offset, limit;
};

/* {"items":[…], "total":N}, newest first. NULL with p filled: 422 naming
 * `from` or `to` when a bound does not parse, 500 on a database error. */
json_t *audit_log_list(struct db *db, const struct audit_query *q, struct problem *p);

/* Recomputes the whole chain as `yunquan audit verify` does, in one read
 * snapshot (writers go on meanwhile; entries they append are not checked).
 * {"ok", "checked", "head_seq", "head_hash", "bad_seq", "reason"}: ok false
 * with bad_seq and a Chinese reason when an entry does not match. NULL
 * with p filled (500) when the log cannot be read. */
json_t *audit_log_verify(struct db *db, struct problem *p);

#endif
