/* The official working-day calendar. */
#include "service/calendar.h"
#include "core/clock.h"
#include "core/status.h"
#include "embedded.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

static struct workday_calendar official;
static bool loaded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    loaded = workdays_load_csv(yq_data_holidays_csv, yq_data_holidays_csv_len, &official) == YQ_OK;
}

const struct workday_calendar *calendar_official(void)
{
    pthread_once(&once, load);
    return loaded ? &official : NULL;
}

json_t *calendar_workdays(const char *from, const char *n_text, struct problem *p)
{
    const struct workday_calendar *c = calendar_official();
    if (!c) {
        problem_set(p, YQ_ERR, "calendar_unavailable", NULL, "节假日数据无法读取");
        return NULL;
    }
    int32_t day;
    if (!from || clock_parse_date(from, &day) != YQ_OK) {
        problem_set(p, YQ_EINVAL, from ? "invalid_field" : "missing_field", "from",
                    "from 须为日期 YYYY-MM-DD");
        return NULL;
    }
    long n = 5;
    if (n_text) {
        char *end;
        errno = 0;
        n = strtol(n_text, &end, 10);
        if (errno || *end || n < 1 || n > 60) {
            problem_set(p, YQ_EINVAL, "invalid_field", "n", "n 须为 1 至 60 的整数");
            return NULL;
        }
    }
    json_t *days = json_array();
    int32_t d = day;
    for (long i = 0; i < n; i++) {
        if (workdays_add(c, d, 1, &d) != YQ_OK) {
            json_decref(days);
            int y;
            unsigned mo, dd;
            clock_civil_from_days(day, &y, &mo, &dd);
            if (y < c->first_year)
                problem_set(p, YQ_EINVAL, "calendar_not_published", "from",
                            "%d 年以前的节假日安排未载入（已载入 %d—%d 年）", c->first_year,
                            c->first_year, c->last_year);
            else
                problem_set(p, YQ_EINVAL, "calendar_not_published", "from",
                            "%d 年以后的节假日安排尚未载入（已载入 %d—%d 年）", c->last_year,
                            c->first_year, c->last_year);
            return NULL;
        }
        char s[16];
        clock_format_date(d, s);
        json_array_append_new(days, json_string(s));
    }
    char fs[16];
    clock_format_date(day, fs);
    return json_pack("{s:s, s:i, s:o, s:O}", "from", fs, "n", (int)n, "days", days, "until",
                     json_array_get(days, json_array_size(days) - 1));
}
