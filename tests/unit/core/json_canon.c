/* Tests of src/core/json_canon.c: its text is jansson's json_dumps(v,
 * JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY), byte for byte, since
 * the audit chain's hashes of entries written by either must agree. */
#include "test.h"

#include "core/buf.h"
#include "core/json_canon.h"
#include "core/prng.h"
#include "core/status.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void assert_same_as_jansson(const json_t *v)
{
    char *want = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    char *got = json_canon_dumps(v);
    assert_non_null(want);
    assert_non_null(got);
    if (strcmp(want, got) != 0) fail_msg("jansson: %s\ncanon:   %s", want, got);
    free(want);
    free(got);
}

static struct prng rng;

static uint32_t rnd(uint32_t n)
{
    uint32_t x;
    prng_fill(&rng, &x, sizeof x);
    return x % n;
}

/* A random valid UTF-8 string: control characters, quotes, backslashes,
 * slashes, DEL, Chinese, 4-byte characters, and now and then a NUL inside
 * (jansson keeps lengths). */
static json_t *random_string(void)
{
    static const char *const pieces[] = {"\"", "\\", "/", "\x7f", "济宁", "券",
                                         "\xf0\x9f\x98\x80", "a", "Z", "0", " ", "é"};
    char s[96];
    size_t len = 0, want = rnd(12);
    for (size_t i = 0; i < want; i++) {
        if (rnd(3) == 0) {
            s[len++] = (char)(rnd(0x20)); /* a control character, NUL included */
        } else {
            const char *p = pieces[rnd(sizeof pieces / sizeof pieces[0])];
            memcpy(s + len, p, strlen(p));
            len += strlen(p);
        }
    }
    return json_stringn(s, len);
}

static json_t *random_value(int depth)
{
    switch (rnd(depth > 3 ? 6 : 8)) {
    case 0: return json_null();
    case 1: return json_true();
    case 2: return json_false();
    case 3: {
        static const json_int_t edges[] = {0, -1, 1, INT64_MAX, INT64_MIN, 5000000, -123456789};
        return rnd(2) ? json_integer(edges[rnd(7)]) : json_integer((json_int_t)rnd(1u << 31) - (1 << 30));
    }
    case 4: return random_string();
    case 5: {
        static const double reals[] = {0.5, -2.25, 1e300, 3.0, 0.1};
        return json_real(reals[rnd(5)]);
    }
    case 6: {
        json_t *a = json_array();
        for (uint32_t i = rnd(5); i > 0; i--) json_array_append_new(a, random_value(depth + 1));
        return a;
    }
    default: {
        json_t *o = json_object();
        for (uint32_t i = rnd(40); i > 0; i--) {
            json_t *k = random_string();
            json_object_setn_new(o, json_string_value(k), json_string_length(k),
                                 random_value(depth + 1));
            json_decref(k);
        }
        return o;
    }
    }
}

static void test_random_values_are_written_as_jansson_writes_them(void **state)
{
    (void)state;
    prng_seed(&rng, 20261130);
    for (int n = 0; n < 20000; n++) {
        json_t *v = random_value(0);
        assert_same_as_jansson(v);
        json_decref(v);
    }
}

static void test_an_audit_entry_and_keys_that_prefix_each_other(void **state)
{
    (void)state;
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:n, s:s, s:s, s:s, s:s, s:o}", "seq", (json_int_t)42,
                          "at", (json_int_t)1561942800000, "entity", "contract", "entity_id",
                          "01J0000000000000000000000", "before", "after",
                          "{\"status\":\"confirmed\",\"note\":\"“企业上云”\\n\"}", "shard",
                          "county:370811", "shard_seq", "7", "action", "confirm", "a", json_array());
    json_object_set_new(o, "entity_idx", json_object());
    json_object_set_new(o, "", json_string(""));
    assert_same_as_jansson(o);
    json_decref(o);
}

static void test_utf8_is_what_jansson_takes_as_a_string(void **state)
{
    (void)state;
    prng_seed(&rng, 7);
    char s[8];
    for (int n = 0; n < 200000; n++) {
        size_t len = 1 + rnd(6);
        for (size_t i = 0; i < len; i++) /* bytes around the boundaries that matter */
            s[i] = (char)(rnd(4) ? 0x80 + rnd(0x80) : 1 + rnd(0xff));
        s[len] = '\0';
        json_t *v = json_string(s);
        if (json_canon_utf8(s) != (v != NULL)) fail_msg("disagree on %s", s);
        json_decref(v);
    }
}

static void test_a_full_buffer_is_an_error(void **state)
{
    (void)state;
    json_t *v = json_pack("{s:s}", "key", "a value longer than the cap");
    struct buf b;
    buf_init(&b, 10);
    assert_int_not_equal(json_canon(v, &b), YQ_OK);
    buf_cleanup(&b);
    assert_null(json_canon_dumps(NULL));
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_values_are_written_as_jansson_writes_them),
        cmocka_unit_test(test_an_audit_entry_and_keys_that_prefix_each_other),
        cmocka_unit_test(test_utf8_is_what_jansson_takes_as_a_string),
        cmocka_unit_test(test_a_full_buffer_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
