/* Date parsing (src/core/clock.c, src/core/period.c) on arbitrary text:
 * clock_parse_date, clock_parse_iso and period_parse. What parses must
 * write back to the same text (dates, periods) or the same instant to the
 * second (instants, written in China time), and a parsed day must lie in
 * its period and convert to a civil date and back unchanged. */
#include "core/clock.h"
#include "core/period.h"
#include "core/status.h"
#include "fuzz.h"

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstring(data, size);

    int32_t day = 12345;
    if (clock_parse_date(s, &day) == YQ_OK) {
        char back[16];
        clock_format_date(day, back);
        FUZZ_CHECK(strcmp(back, s) == 0);
        int y;
        unsigned m, d;
        clock_civil_from_days(day, &y, &m, &d);
        FUZZ_CHECK(clock_days_from_civil(y, m, d) == day);
        struct period pd;
        if (period_of_day(day, &pd) == YQ_OK)
            FUZZ_CHECK(period_first_day(pd) <= day && day <= period_last_day(pd));
    } else {
        FUZZ_CHECK(day == 12345); /* untouched on failure */
    }

    int64_t ms = 42;
    if (clock_parse_iso(s, &ms) == YQ_OK) {
        char text[32];
        clock_format_iso(ms, text);
        int64_t again = 0;
        FUZZ_CHECK(clock_parse_iso(text, &again) == YQ_OK);
        FUZZ_CHECK(again == floor_div(ms, 1000) * 1000);
        FUZZ_CHECK(clock_cst_day(again) == clock_cst_day(ms));
    } else {
        FUZZ_CHECK(ms == 42);
    }

    struct period p = {0, 0};
    if (period_parse(s, &p) == YQ_OK) {
        char back[PERIOD_TEXT_LEN + 1];
        FUZZ_CHECK(period_valid(p));
        FUZZ_CHECK(period_format(p, back) == YQ_OK && strcmp(back, s) == 0);
        struct period q;
        FUZZ_CHECK(period_of_day(period_first_day(p), &q) == YQ_OK && q.year == p.year &&
                   q.half == p.half);
        int32_t first, last;
        int window = 1 + (int)(size % PERIOD_WINDOW_DAYS_MAX);
        FUZZ_CHECK(period_window(p, window, &first, &last) == YQ_OK);
        FUZZ_CHECK(first == period_last_day(p) + 1 && last - first + 1 == window);
    } else {
        FUZZ_CHECK(p.year == 0 && p.half == 0);
    }
    free(s);
    return 0;
}
