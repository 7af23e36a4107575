/* The list filters of issue 11 from the query string: q, county, status,
 * from, to. Each bad value is refused with 422 naming its field, before any
 * read. */
#include "api/api.h"
#include "core/clock.h"
#include "core/period.h"
#include "core/validate.h"

#include <stdio.h>
#include <string.h>

/* A day "YYYY-MM-DD" as itself and as the instant its China-time day
 * starts (or, for the end of a range, the next day starts). */
static bool day_bound(struct request *req, const char *field, bool end, char day[11],
                      int64_t *ms)
{
    const char *s = api_query(req, field);
    day[0] = 0;
    *ms = 0;
    if (!s) return true;
    int32_t d;
    if (strlen(s) != 10 || clock_parse_date(s, &d) != 0) {
        http_reply_error(req, 422, "invalid_field", field, "%s 须为日期，格式 YYYY-MM-DD",
                         strcmp(field, "from") == 0 ? "起始日期 from" : "截止日期 to");
        return false;
    }
    memcpy(day, s, 11);
    *ms = ((int64_t)d + (end ? 1 : 0)) * 86400000LL - CLOCK_CST_OFFSET_MIN * 60000LL;
    return true;
}

bool api_keyword(struct request *req, const char **q)
{
    *q = api_query(req, "q");
    if (*q && utf8_length(*q) < 0) {
        http_reply_error(req, 422, "invalid_field", "q", "关键词 q 须为 UTF-8 文本");
        return false;
    }
    if (*q && strlen(*q) > 100) {
        http_reply_error(req, 422, "invalid_field", "q", "关键词 q 过长（至多 100 字节）");
        return false;
    }
    return true;
}

bool api_list_filter(struct request *req, struct list_filter *f, bool (*status_ok)(const char *))
{
    memset(f, 0, sizeof *f);
    if (!api_keyword(req, &f->q)) return false;
    f->county = api_query(req, "county");
    if (f->county) {
        size_t n = strlen(f->county);
        bool digits = n >= 6 && n <= 12;
        for (size_t i = 0; digits && i < n; i++) digits = f->county[i] >= '0' && f->county[i] <= '9';
        if (!digits) {
            http_reply_error(req, 422, "invalid_field", "county", "区县 county 须为区县代码");
            return false;
        }
    }
    f->status = api_query(req, "status");
    if (f->status && status_ok && !status_ok(f->status)) {
        http_reply_error(req, 422, "invalid_field", "status", "未知的状态 status：%.40s", f->status);
        return false;
    }
    if (!day_bound(req, "from", false, f->from_day, &f->from_ms)) return false;
    if (!day_bound(req, "to", true, f->to_day, &f->to_ms)) return false;
    if (f->from_day[0] && f->to_day[0] && strcmp(f->from_day, f->to_day) > 0) {
        http_reply_error(req, 422, "invalid_field", "to", "截止日期 to 不能早于起始日期 from");
        return false;
    }
    return true;
}

bool api_period_filter(struct request *req, const char **period)
{
    struct period p;
    *period = api_query(req, "period");
    if (*period && period_parse(*period, &p) != 0) {
        http_reply_error(req, 422, "invalid_field", "period", "兑现周期 period 须形如 2019H1");
        return false;
    }
    return true;
}
