/* The official working-day calendar. */
#include "service/calendar.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/mem.h"
#include "core/status.h"
#include "embedded.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static struct workday_calendar official;
static bool loaded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int cmp(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static void load(void)
{
    struct csv_reader r;
    struct csv_row row;
    csv_init(&r, yq_data_holidays_csv, yq_data_holidays_csv_len);
    size_t cap = 1024, nh = 0, nw = 0;
    int32_t *h = yq_malloc(cap * sizeof *h), *w = yq_malloc(cap * sizeof *w);
    int first = 9999, last = 0, got;
    bool header = true, ok = true;
    while ((got = csv_next(&r, &row)) == 1) {
        if (header) {
            header = false;
            continue;
        }
        int32_t day;
        if (row.n < 2 || clock_parse_date(row.f[0], &day) != YQ_OK || nh >= cap || nw >= cap) {
            ok = false;
            break;
        }
        int y;
        unsigned m, d;
        clock_civil_from_days(day, &y, &m, &d);
        /* A year counts as covered once its own holidays are listed (the
         * file starts with the last days of 2017's New Year holiday). */
        if (strcmp(row.f[1], "holiday") == 0) {
            h[nh++] = day;
            if (m > 1 || d > 3) {
                if (y < first) first = y;
                if (y > last) last = y;
            }
        } else if (strcmp(row.f[1], "workday") == 0) {
            w[nw++] = day;
        } else {
            ok = false;
            break;
        }
    }
    csv_cleanup(&r);
    if (!ok || got < 0 || last == 0) {
        free(h);
        free(w);
        return;
    }
    qsort(h, nh, sizeof *h, cmp);
    qsort(w, nw, sizeof *w, cmp);
    official = (struct workday_calendar){h, nh, w, nw, first, last};
    loaded = true;
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
