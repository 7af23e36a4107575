/* The official working-day calendar: the days compiled in and the years
 * the operator imported since (see calendar.h). */
#include "service/calendar.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/mem.h"
#include "core/status.h"
#include "embedded.h"
#include "service/tx.h"
#include "store/audit.h"
#include "store/calendar.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Every calendar this process loaded, newest first. A reader holds the
 * one it got for as long as it likes: the older ones stay (a few KB each,
 * one per change of the imported years seen while the server runs; a
 * read that finds them unchanged builds nothing). */
struct loaded {
    struct workday_calendar c;
    struct loaded *older;
};
static _Atomic(struct loaded *) current;
static atomic_bool with_db; /* current includes the database's years */
/* Under `lock`: when the database's years were last read (monotonic ms),
 * and what was read then. */
static int64_t read_at;
static char *read_rows;
static size_t read_nrows;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Real time, not the program's clock (a test may hold that still). */
static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The compiled-in days followed by the imported ones (`rows`, CSV lines
 * without a header), then `more` (further CSV lines): one CSV text, header
 * first, loaded into *c. */
static int merged_load(const char *rows, size_t nrows, const char *more, size_t nmore,
                       struct workday_calendar *c)
{
    size_t base = yq_data_holidays_csv_len;
    char *t = yq_malloc(base + nrows + nmore + 3);
    memcpy(t, yq_data_holidays_csv, base);
    size_t at = base;
    const char *part[2] = {rows, more};
    size_t n[2] = {nrows, nmore};
    for (int i = 0; i < 2; i++) {
        if (!n[i]) continue;
        if (at && t[at - 1] != '\n') t[at++] = '\n';
        memcpy(t + at, part[i], n[i]);
        at += n[i];
    }
    t[at] = '\0';
    int rc = workdays_load_csv(t, at, c);
    free(t);
    return rc;
}

/* Loads the calendar (with the database's years when db is given) and
 * makes it current; under `lock`. Keeps the current one if a read fails. */
static void load(struct db *db)
{
    char *rows = NULL;
    size_t nrows = 0;
    if (db && calendar_days_csv(db, &rows, &nrows) != YQ_OK) return;
    if (db && atomic_load(&with_db) && read_rows && nrows == read_nrows &&
        memcmp(rows, read_rows, nrows) == 0) {
        free(rows); /* nothing imported since: the current calendar stands */
        read_at = monotonic_ms();
        return;
    }
    struct loaded *l = yq_calloc(1, sizeof *l);
    if (merged_load(rows, nrows, NULL, 0, &l->c) != YQ_OK) {
        free(l);
        free(rows);
        return;
    }
    l->older = atomic_load(&current);
    atomic_store(&current, l);
    if (db) {
        free(read_rows);
        read_rows = rows;
        read_nrows = nrows;
        read_at = monotonic_ms();
        atomic_store(&with_db, true);
    } else {
        free(rows);
    }
}

const struct workday_calendar *calendar_official(struct db *db)
{
    struct loaded *l = atomic_load(&current);
    if (l && (!db || atomic_load(&with_db))) return &l->c;
    pthread_mutex_lock(&lock);
    if (!(l = atomic_load(&current)) || (db && !atomic_load(&with_db))) load(db);
    l = atomic_load(&current);
    pthread_mutex_unlock(&lock);
    return l ? &l->c : NULL;
}

/* At most one read of the imported years a second per process: a request
 * for a year nobody published (anyone may ask) costs no more than that. */
#define REFRESH_MS 1000

const struct workday_calendar *calendar_refresh(struct db *db)
{
    if (!db) return calendar_official(NULL);
    pthread_mutex_lock(&lock);
    int64_t now = monotonic_ms();
    if (!atomic_load(&with_db) || now - read_at >= REFRESH_MS) load(db);
    struct loaded *l = atomic_load(&current);
    pthread_mutex_unlock(&lock);
    return l ? &l->c : NULL;
}

json_t *calendar_workdays(struct db *db, const char *from, const char *n_text, struct problem *p)
{
    const struct workday_calendar *c = calendar_official(db);
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
        /* A year imported since this process read the calendar: read again. */
        const struct workday_calendar *again;
        if (workdays_add(c, d, 1, &d) != YQ_OK && (again = calendar_refresh(db)) &&
            workdays_add(c = again, d, 1, &d) != YQ_OK) {
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

/* ---- Importing a year (yunquan calendar import) ---------------------------------- */

/* What a name may hold: no comma, quote or line break (the rows are read
 * back as CSV, store/calendar.c). */
static bool plain_name(const char *s)
{
    return strcspn(s, ",\"\r\n") == strlen(s) && strlen(s) <= 60;
}

struct import {
    const struct actor *actor;
    const char *text;
    size_t len;
    struct workday_calendar got; /* the file alone */
    int first, last;             /* the calendar's years once imported */
};

/* The file's rows are checked against the calendar read inside the
 * transaction: no day listed twice, no year published twice, no year
 * missing between the last one and the new ones. */
static int import_run(struct db *db, void *ctx, struct problem *p)
{
    struct import *x = ctx;
    char *rows = NULL;
    size_t nrows = 0;
    int rc = calendar_days_csv(db, &rows, &nrows);
    if (rc != YQ_OK) return rc;
    struct workday_calendar before, after;
    rc = merged_load(rows, nrows, NULL, 0, &before);
    if (rc != YQ_OK) {
        free(rows);
        return problem_db_error(p);
    }
    if (x->got.first_year < before.first_year) {
        rc = problem_set(p, YQ_EINVAL, "year_before", NULL,
                         "只能载入 %d 年以后新公布的节假日安排（已载入 %d—%d 年）",
                         before.last_year, before.first_year, before.last_year);
        goto out;
    }
    if (x->got.first_year <= before.last_year) {
        rc = problem_set(p, YQ_ECONFLICT, "year_loaded", NULL,
                         "%d 年的节假日安排已载入（已载入 %d—%d 年），不能重复载入",
                         x->got.first_year, before.first_year, before.last_year);
        goto out;
    }
    /* Appended after the file's header line: one calendar, checked whole. */
    const char *body = memchr(x->text, '\n', x->len);
    size_t body_len = body ? x->len - (size_t)(body + 1 - x->text) : 0;
    rc = merged_load(rows, nrows, body ? body + 1 : "", body_len, &after);
    if (rc != YQ_OK) {
        rc = problem_set(p, YQ_EINVAL, "year_missing", NULL,
                         "须先载入 %d 年的节假日安排（已载入 %d—%d 年）", before.last_year + 1,
                         before.first_year, before.last_year);
        goto out;
    }
    x->first = after.first_year;
    x->last = after.last_year;
    workdays_free(&after);
    struct csv_reader r;
    struct csv_row row;
    csv_init(&r, x->text, x->len);
    int got, n = 0;
    int64_t now = clock_now_ms();
    rc = YQ_OK;
    while (rc == YQ_OK && (got = csv_next(&r, &row)) == 1) {
        if (n++ == 0) continue;
        /* Stored as the canonical date, so that one day is one key. */
        int32_t day;
        char text[16];
        rc = clock_parse_date(row.f[0], &day);
        clock_format_date(day, text);
        if (rc == YQ_OK)
            rc = calendar_day_insert(db, text, row.f[1], row.n > 2 ? row.f[2] : "",
                                     x->actor->user.username, now);
    }
    csv_cleanup(&r);
    if (rc == YQ_ECONFLICT) {
        rc = problem_set(p, YQ_ECONFLICT, "day_listed", NULL, "文件中有日期已在日历中或重复列出");
        goto out;
    }
    if (rc != YQ_OK) goto out;
    struct audit_actor who = actor_audit(x->actor);
    char years[32];
    snprintf(years, sizeof years, "%d-%d", x->got.first_year, x->got.last_year);
    json_t *a = json_pack("{s:i, s:i, s:I, s:I}", "from_year", x->got.first_year, "to_year",
                          x->got.last_year, "holidays", (json_int_t)x->got.nholidays,
                          "workdays", (json_int_t)x->got.nworkdays);
    rc = audit_append(db, &who, "calendar", years, "import", NULL, a);
    json_decref(a);
out:
    workdays_free(&before);
    free(rows);
    return rc;
}

json_t *calendar_import(struct db *db, const struct actor *a, const char *text, size_t len,
                        struct problem *p)
{
    struct import x = {.actor = a, .text = text, .len = len};
    /* The file alone first: its form, and names that read back as CSV. */
    if (workdays_load_csv(text, len, &x.got) != YQ_OK) {
        problem_set(p, YQ_EINVAL, "invalid_file", "file",
                    "文件格式不正确：首行为列名，其后每行为 日期,holiday|workday,名称（日期为 "
                    "YYYY-MM-DD），须列出该年的法定节假日");
        return NULL;
    }
    struct csv_reader r;
    struct csv_row row;
    csv_init(&r, text, len);
    int got, n = 0;
    bool ok = true;
    while (ok && (got = csv_next(&r, &row)) == 1)
        if (n++ > 0 && row.n > 2 && !plain_name(row.f[2])) ok = false;
    csv_cleanup(&r);
    if (!ok) {
        workdays_free(&x.got);
        problem_set(p, YQ_EINVAL, "invalid_file", "file",
                    "第 %d 行：名称不能含逗号、引号或换行，且不超过 60 个字符", n);
        return NULL;
    }
    int rc = service_tx(db, import_run, &x, p);
    json_t *out = NULL;
    if (rc == YQ_OK) {
        out = json_pack("{s:i, s:i, s:I, s:I, s:i, s:i}", "from_year", x.got.first_year,
                        "to_year", x.got.last_year, "holidays", (json_int_t)x.got.nholidays,
                        "workdays", (json_int_t)x.got.nworkdays, "first_year", x.first,
                        "last_year", x.last);
    }
    workdays_free(&x.got);
    return out;
}
