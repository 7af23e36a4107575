/* Tests of src/core/json_out.c: what it writes is JSON text that jansson
 * reads back to the same values; bytes that are not UTF-8 become U+FFFD,
 * never invalid JSON; a full buffer is an error, kept. */
#include "test.h"

#include "core/buf.h"
#include "core/json_out.h"
#include "core/status.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* `s` written as a JSON string and read back by jansson (caller frees). */
static char *round_trip(const char *s)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    assert_int_equal(json_out_string(&b, s), YQ_OK);
    json_error_t err;
    json_t *v = json_loads(b.data, JSON_DECODE_ANY, &err);
    if (!v) fail_msg("not JSON: %s (%s)", b.data, err.text);
    char *out = strdup(json_string_value(v));
    json_decref(v);
    buf_cleanup(&b);
    return out;
}

static void test_text_reads_back_unchanged(void **state)
{
    (void)state;
    const char *cases[] = {"", "plain", "济宁市“企业上云”云服务券（2018—2020年）", "quote \" and \\ back",
                           "line\nfeed\ttab\r\b\f", "\x01\x1f ctl", "emoji \xf0\x9f\x98\x80", "/slash"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *back = round_trip(cases[i]);
        assert_string_equal(back, cases[i]);
        free(back);
    }
}

static void test_bytes_that_are_not_utf8_become_replacement(void **state)
{
    (void)state;
    char *back = round_trip("a\xff" "b\xc3" "c\xed\xa0\x80" "d\xe0\x80\x80" "e\xf4\x90\x80\x80");
    /* each bad byte is one U+FFFD: the lone lead, the cut 2-byte, the
     * surrogate (3 bytes), the overlong (3), past U+10FFFF (4) */
    assert_string_equal(back, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                              "d\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                              "e\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    free(back);
}

static void test_random_bytes_always_give_json(void **state)
{
    (void)state;
    srand(7);
    char s[64];
    for (int n = 0; n < 20000; n++) {
        size_t len = (size_t)(rand() % 63);
        for (size_t i = 0; i < len; i++) s[i] = (char)(1 + rand() % 255);
        s[len] = '\0';
        free(round_trip(s));
    }
}

static void test_object_has_members_in_order(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    struct json_out o;
    json_out_begin(&o, &b);
    json_out_str(&o, "code", "YQ2019-370811-000001-5");
    json_out_int(&o, "amount_fen", 297000);
    json_out_int(&o, "neg", INT64_MIN);
    json_out_bool(&o, "genuine", true);
    json_out_bool(&o, "no", false);
    assert_int_equal(json_out_end(&o), YQ_OK);
    assert_string_equal(b.data, "{\"code\":\"YQ2019-370811-000001-5\",\"amount_fen\":297000,"
                                "\"neg\":-9223372036854775808,\"genuine\":true,\"no\":false}");
    buf_cleanup(&b);
    buf_init(&b, 8);
    json_out_begin(&o, &b);
    json_out_str(&o, "k", "longer than eight");
    json_out_int(&o, "n", 1); /* does nothing after the error */
    assert_int_equal(json_out_end(&o), YQ_ELIMIT);
    buf_cleanup(&b);
}

static void test_empty_object(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 16);
    struct json_out o;
    json_out_begin(&o, &b);
    assert_int_equal(json_out_end(&o), YQ_OK);
    assert_string_equal(b.data, "{}");
    buf_cleanup(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_reads_back_unchanged),
        cmocka_unit_test(test_bytes_that_are_not_utf8_become_replacement),
        cmocka_unit_test(test_random_bytes_always_give_json),
        cmocka_unit_test(test_object_has_members_in_order),
        cmocka_unit_test(test_empty_object),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
