/* The program clock and calendar arithmetic (Howard Hinnant's civil-date
 * algorithms). */
#include "core/clock.h"
#include "core/status.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static _Atomic int64_t offset_ms;
static _Atomic(clock_source_fn) source_fn;
static void *_Atomic source_ctx;

static int64_t system_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_now_ms(void)
{
    clock_source_fn fn = atomic_load(&source_fn);
    int64_t ms;
    if (fn && fn(&ms, atomic_load(&source_ctx))) return ms;
    return system_ms() + atomic_load(&offset_ms);
}

void clock_set_now(int64_t now_ms)
{
    atomic_store(&offset_ms, now_ms - system_ms());
}

void clock_reset(void)
{
    atomic_store(&offset_ms, 0);
    atomic_store(&source_fn, NULL);
}

void clock_get_source(clock_source_fn *fn, void **ctx)
{
    *fn = atomic_load(&source_fn);
    *ctx = atomic_load(&source_ctx);
}

void clock_set_source(clock_source_fn fn, void *ctx)
{
    atomic_store(&source_ctx, ctx);
    atomic_store(&source_fn, fn);
}

int32_t clock_days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int32_t)doe - 719468;
}

void clock_civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, unsigned m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return dm[m - 1];
}

/* Reads exactly n digits at *p, advancing it. */
static bool digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i])) return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static bool parse_date_part(const char **p, int *y, int *mo, int *d)
{
    if (!digits(p, 4, y) || **p != '-') return false;
    (*p)++;
    if (!digits(p, 2, mo) || **p != '-') return false;
    (*p)++;
    if (!digits(p, 2, d)) return false;
    return *y >= 1900 && *y <= 9999 && *mo >= 1 && *mo <= 12 && *d >= 1 &&
           *d <= days_in_month(*y, (unsigned)*mo);
}

int clock_parse_date(const char *s, int32_t *days)
{
    int y, mo, d;
    const char *p = s;
    if (!parse_date_part(&p, &y, &mo, &d) || *p) return YQ_EINVAL;
    *days = clock_days_from_civil(y, (unsigned)mo, (unsigned)d);
    return YQ_OK;
}

int clock_parse_iso(const char *s, int64_t *ms)
{
    int y, mo, d, h, mi, sec, frac = 0, oh = 0, om = 0, sign = 1;
    const char *p = s;
    if (!parse_date_part(&p, &y, &mo, &d)) return YQ_EINVAL;
    if (*p != 'T' && *p != ' ') return YQ_EINVAL;
    p++;
    if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi) || *p++ != ':' ||
        !digits(&p, 2, &sec))
        return YQ_EINVAL;
    if (h > 23 || mi > 59 || sec > 59) return YQ_EINVAL;
    if (*p == '.') {
        p++;
        int n = 0;
        while (isdigit((unsigned char)*p)) {
            if (n < 3) frac = frac * 10 + (*p - '0');
            n++;
            p++;
        }
        if (n == 0) return YQ_EINVAL;
        for (; n < 3; n++)
            frac *= 10;
    }
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        p++;
        if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om)) return YQ_EINVAL;
        if (oh > 14 || om > 59) return YQ_EINVAL;
    } else {
        return YQ_EINVAL;
    }
    if (*p) return YQ_EINVAL;
    int64_t days = clock_days_from_civil(y, (unsigned)mo, (unsigned)d);
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - sign * (oh * 3600 + om * 60);
    /* Only instants whose date in China is in 1900–9999, like the dates
     * clock_parse_date takes, so that every instant read can be written
     * (clock_format_iso) and read back. */
    int cy;
    unsigned cm, cd;
    clock_civil_from_days(clock_cst_day(secs * 1000), &cy, &cm, &cd);
    if (cy < 1900 || cy > 9999) return YQ_EINVAL;
    *ms = secs * 1000 + frac;
    return YQ_OK;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void clock_format_iso(int64_t ms, char out[32])
{
    int64_t local = floor_div(ms, 1000) + CLOCK_CST_OFFSET_MIN * 60;
    int64_t days = floor_div(local, 86400);
    int64_t rem = local - days * 86400;
    int y;
    unsigned m, d;
    clock_civil_from_days((int32_t)days, &y, &m, &d);
    snprintf(out, 32, "%04d-%02u-%02uT%02d:%02d:%02d+08:00", y, m, d, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60));
}

void clock_format_date(int32_t days, char out[16])
{
    int y;
    unsigned m, d;
    clock_civil_from_days(days, &y, &m, &d);
    snprintf(out, 16, "%04d-%02u-%02u", y, m, d);
}

int32_t clock_cst_day(int64_t ms)
{
    return (int32_t)floor_div(floor_div(ms, 1000) + CLOCK_CST_OFFSET_MIN * 60, 86400);
}

void clock_today(char out[16])
{
    clock_format_date(clock_cst_day(clock_now_ms()), out);
}

int64_t clock_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
