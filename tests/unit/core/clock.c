/* Tests of src/core/clock.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/clock.h"
#include "core/status.h"

static void test_iso_with_offset_is_the_same_instant_as_utc(void **state)
{
    (void)state;
    int64_t a, b;
    assert_int_equal(clock_parse_iso("2019-07-01T09:00:00+08:00", &a), YQ_OK);
    assert_int_equal(clock_parse_iso("2019-07-01T01:00:00Z", &b), YQ_OK);
    assert_true(a == b);
    assert_true(a == 1561942800000LL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso_with_offset_is_the_same_instant_as_utc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
