/* Tests of src/store/id.c: ids and tokens from the per-thread keystream
 * are all different, also between threads, and tokens are hex of the
 * asked length with their bits spread (no byte stuck). */
#include "test.h"

#include "store/id.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PER_THREAD 20000

static char ids[2][PER_THREAD][ID_LEN + 1];

static void *make_ids(void *arg)
{
    char(*out)[ID_LEN + 1] = arg;
    for (int i = 0; i < PER_THREAD; i++) id_new(out[i]);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    return memcmp(a, b, ID_LEN + 1);
}

static void test_ids_differ_within_and_between_threads(void **state)
{
    (void)state;
    pthread_t t[2];
    for (int k = 0; k < 2; k++) assert_int_equal(pthread_create(&t[k], NULL, make_ids, ids[k]), 0);
    for (int k = 0; k < 2; k++) pthread_join(t[k], NULL);
    char(*all)[ID_LEN + 1] = (char(*)[ID_LEN + 1])ids; /* both threads' ids, one array */
    qsort(all, 2 * PER_THREAD, ID_LEN + 1, cmp);
    for (int i = 1; i < 2 * PER_THREAD; i++) assert_true(memcmp(all[i - 1], all[i], ID_LEN + 1) != 0);
    assert_int_equal(strlen(all[0]), ID_LEN);
}

static void test_tokens_are_hex_with_every_nibble_used(void **state)
{
    (void)state;
    int seen[24][16] = {{0}};
    char tok[25], prev[25] = "";
    for (int n = 0; n < 4000; n++) {
        id_random_hex(tok, 12);
        assert_int_equal(strlen(tok), 24);
        assert_string_not_equal(tok, prev);
        for (int i = 0; i < 24; i++) {
            const char *hex = "0123456789abcdef";
            const char *at = strchr(hex, tok[i]);
            assert_non_null(at);
            seen[i][at - hex]++;
        }
        memcpy(prev, tok, sizeof tok);
    }
    /* 4000 draws: each of the 16 values at each position ~250 times */
    for (int i = 0; i < 24; i++)
        for (int v = 0; v < 16; v++) assert_true(seen[i][v] > 150 && seen[i][v] < 350);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_differ_within_and_between_threads),
        cmocka_unit_test(test_tokens_are_hex_with_every_nibble_used),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
