/* The one clock the whole program reads (never time() directly), plus the
 * calendar arithmetic on it. Instants are int64 milliseconds since the Unix
 * epoch; the platform shows them in China Standard Time (+08:00, no DST).
 * Tests and demos move the clock with clock_set_offset() or a source. */
#ifndef YQ_CORE_CLOCK_H
#define YQ_CORE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define CLOCK_CST_OFFSET_MIN 480

/* Current instant in ms: the source if one is set and answers, else the
 * system clock plus the offset. Thread-safe. */
int64_t clock_now_ms(void);
/* The monotonic clock in ns, for measuring how long something took
 * (never an instant of the program clock). */
int64_t clock_mono_ns(void);

/* Shift the clock so that it reads `now_ms` at this moment and advances in
 * real time from there. */
void clock_set_now(int64_t now_ms);
void clock_reset(void);

/* A source consulted on each read: returns true and sets *now_ms to take
 * over the clock (e.g. a test clock file), false to fall through. */
typedef bool (*clock_source_fn)(int64_t *now_ms, void *ctx);
void clock_set_source(clock_source_fn fn, void *ctx);
/* The source in force (to put it back after a temporary one). */
void clock_get_source(clock_source_fn *fn, void **ctx);

/* Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)" (a space may replace
 * the T), with its date in China between 1900 and 9999 (what
 * clock_format_iso can write). Returns YQ_OK or YQ_EINVAL; *ms untouched on
 * failure. */
int clock_parse_iso(const char *s, int64_t *ms);

/* Formats `ms` as "YYYY-MM-DDTHH:MM:SS+08:00" into out (at least 26 bytes). */
void clock_format_iso(int64_t ms, char out[32]);

/* Parses "YYYY-MM-DD" into days since 1970-01-01. YQ_OK or YQ_EINVAL. */
int clock_parse_date(const char *s, int32_t *days);
void clock_format_date(int32_t days, char out[16]);

/* Days since the epoch of a civil date, and back (proleptic Gregorian). */
int32_t clock_days_from_civil(int y, unsigned m, unsigned d);
void clock_civil_from_days(int32_t days, int *y, unsigned *m, unsigned *d);

/* The civil date in China of an instant, as days since the epoch. */
int32_t clock_cst_day(int64_t ms);
/* Today in China by the program clock (clock_now_ms), as "YYYY-MM-DD". */
void clock_today(char out[16]);

#endif
