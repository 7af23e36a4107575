/* The audit log as it is read. */
#include "service/audit_log.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/audit.h"

#include <stdbool.h>

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
                             .actor = or_null(q->actor),
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
