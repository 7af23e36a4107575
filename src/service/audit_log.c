/* The audit log as it is read. */
#include "service/audit_log.h"
#include "core/clock.h"
#include "core/status.h"
#include "service/tx.h"
#include "store/audit.h"

#include <stdbool.h>
#include <string.h>

/* "YYYY-MM-DD" (start of that day in China, or of the next for an end) or
 * an ISO instant. */
static int parse_bound(const char *s, bool end_of_day, int64_t *ms)
{
    int32_t day;
    if (clock_parse_date(s, &day) == YQ_OK) {
        *ms = ((int64_t)day + (end_of_day ? 1 : 0)) * 86400000LL - CLOCK_CST_OFFSET_MIN * 60000LL;
        return YQ_OK;
    }
    return clock_parse_iso(s, ms);
}

static const char *or_null(const char *s)
{
    return s && s[0] ? s : NULL;
}

json_t *audit_log_list(struct db *db, const struct audit_query *q, struct problem *p)
{
    struct audit_filter f = {.entity = or_null(q->entity),
                             .entity_id = or_null(q->entity_id),
                             .actor = or_null(q->actor),
                             .code = or_null(q->q),
                             .offset = q->offset,
                             .limit = q->limit};
    if (or_null(q->from) && parse_bound(q->from, false, &f.from_ms) != YQ_OK) {
        problem_set(p, YQ_EINVAL, "invalid_field", "from", "from 须为日期 YYYY-MM-DD");
        return NULL;
    }
    if (or_null(q->to) && parse_bound(q->to, true, &f.to_ms) != YQ_OK) {
        problem_set(p, YQ_EINVAL, "invalid_field", "to", "to 须为日期 YYYY-MM-DD");
        return NULL;
    }
    json_t *list = audit_list(db, &f);
    if (!list) problem_db_error(p);
    return list;
}

static int verify_run(struct db *db, void *ctx, struct problem *p)
{
    (void)p;
    int rc = audit_verify(db, ctx);
    return rc == YQ_ECONFLICT ? YQ_OK : rc; /* a broken chain is an answer */
}

json_t *audit_log_verify(struct db *db, struct problem *p)
{
    struct audit_report rep;
    memset(&rep, 0, sizeof rep);
    if (service_read(db, verify_run, &rep, p) != YQ_OK) return NULL;
    bool ok = rep.bad_seq == 0;
    return json_pack("{s:b, s:I, s:I, s:s*, s:o, s:o}", "ok", ok, "checked",
                     (json_int_t)rep.checked, "head_seq", (json_int_t)rep.checked, "head_hash",
                     rep.head_hash[0] ? rep.head_hash : NULL, "bad_seq",
                     ok ? json_null() : json_integer(rep.bad_seq), "reason",
                     ok ? json_null() : json_string(rep.reason));
}
