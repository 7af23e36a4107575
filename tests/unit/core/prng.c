/* Tests of src/core/prng.c. */
#include "test.h"

#include "core/prng.h"

#include <string.h>

static void test_same_seed_gives_the_same_sequence(void **state)
{
    (void)state;
    struct prng a, b;
    prng_seed(&a, 42);
    prng_seed(&b, 42);
    for (int i = 0; i < 1000; i++)
        assert_true(prng_next(&a) == prng_next(&b));
    unsigned char x[37], y[37];
    prng_fill(&a, x, sizeof x);
    prng_fill(&b, y, sizeof y);
    assert_memory_equal(x, y, sizeof x);
}

static void test_another_seed_gives_another_sequence(void **state)
{
    (void)state;
    struct prng a, b;
    prng_seed(&a, 1);
    prng_seed(&b, 2);
    int same = 0;
    for (int i = 0; i < 100; i++)
        same += prng_next(&a) == prng_next(&b);
    assert_int_equal(same, 0);
}

static void test_below_and_range_stay_in_bounds_and_reach_both_ends(void **state)
{
    (void)state;
    struct prng r;
    prng_seed(&r, 7);
    int seen[6] = {0};
    for (int i = 0; i < 10000; i++) {
        uint64_t v = prng_below(&r, 6);
        assert_true(v < 6);
        seen[v]++;
        int64_t w = prng_range(&r, -3, 3);
        assert_true(w >= -3 && w <= 3);
    }
    for (int k = 0; k < 6; k++)
        assert_true(seen[k] > 1400 && seen[k] < 1950);
    assert_true(prng_below(&r, 0) == 0);
    assert_true(prng_range(&r, 5, 5) == 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_gives_the_same_sequence),
        cmocka_unit_test(test_another_seed_gives_another_sequence),
        cmocka_unit_test(test_below_and_range_stay_in_bounds_and_reach_both_ends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
