/* Tests of src/core/encoding.c: which files are read as UTF-8, which as
 * GBK, and what is said about the rest. */
#include "test.h"

#include "core/encoding.h"
#include "core/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "统一社会信用代码,企业名称\n" and "济宁" in GBK. */
static const char gbk_header[] = "\xcd\xb3\xd2\xbb\xc9\xe7\xbb\xe1\xd0\xc5\xd3\xc3\xb4\xfa\xc2\xeb,"
                                 "\xc6\xf3\xd2\xb5\xc3\xfb\xb3\xc6\n";
static const char gbk_jining[] = "\xbc\xc3\xc4\xfe";

static int convert(const char *in, size_t len, char **out, enum text_encoding *enc,
                   struct problem *p)
{
    size_t out_len = 0;
    problem_clear(p);
    int rc = encoding_to_utf8("file", in, len, out, &out_len, enc, p);
    if (rc == YQ_OK) assert_int_equal(out_len, strlen(*out));
    return rc;
}

static void test_ascii_is_utf8_unchanged(void **state)
{
    (void)state;
    const char *in = "a,b\r\n1,2\n";
    char *out;
    enum text_encoding enc;
    struct problem p;
    assert_int_equal(convert(in, strlen(in), &out, &enc, &p), YQ_OK);
    assert_int_equal(enc, TEXT_UTF8);
    assert_string_equal(out, in);
    free(out);
}

static void test_utf8_chinese_without_bom(void **state)
{
    (void)state;
    const char *in = "统一社会信用代码,企业名称\n91350100M000100Y43,济宁云泉\n";
    char *out;
    enum text_encoding enc;
    struct problem p;
    assert_int_equal(convert(in, strlen(in), &out, &enc, &p), YQ_OK);
    assert_int_equal(enc, TEXT_UTF8);
    assert_string_equal(out, in);
    assert_string_equal(encoding_name(enc), "UTF-8");
    free(out);
}

static void test_utf8_bom_is_removed(void **state)
{
    (void)state;
    const char *in = "\xEF\xBB\xBF企业名称\n济宁\n";
    char *out;
    enum text_encoding enc;
    struct problem p;
    assert_int_equal(convert(in, strlen(in), &out, &enc, &p), YQ_OK);
    assert_int_equal(enc, TEXT_UTF8_BOM);
    assert_string_equal(out, "企业名称\n济宁\n");
    free(out);
}

static void test_gbk_chinese_is_converted(void **state)
{
    (void)state;
    char in[256];
    snprintf(in, sizeof in, "%s91350100M000100Y43,%s\n", gbk_header, gbk_jining);
    char *out;
    enum text_encoding enc;
    struct problem p;
    assert_int_equal(convert(in, strlen(in), &out, &enc, &p), YQ_OK);
    assert_int_equal(enc, TEXT_GB18030);
    assert_string_equal(out, "统一社会信用代码,企业名称\n91350100M000100Y43,济宁\n");
    assert_string_equal(encoding_name(enc), "GBK");
    free(out);
}

static void test_gb18030_four_byte_character_is_converted(void **state)
{
    (void)state;
    /* U+20BB7 𠮷 is 0x95 0x34 0xB2 0x35 in GB18030 (not in GBK). */
    const char in[] = "\xbc\xc3\x95\x34\xb2\x35";
    char *out;
    enum text_encoding enc;
    struct problem p;
    assert_int_equal(convert(in, strlen(in), &out, &enc, &p), YQ_OK);
    assert_string_equal(out, "济𠮷");
    free(out);
}

static void test_invalid_bytes_name_their_line(void **state)
{
    (void)state;
    /* Line 3 ends in a lone lead byte followed by a newline: neither UTF-8
     * nor GB18030. */
    const char in[] = "a,b\n\xbc\xc3,1\nx,\xff\n";
    char *out;
    enum text_encoding enc;
    struct problem p;
    assert_int_equal(convert(in, strlen(in), &out, &enc, &p), YQ_EINVAL);
    assert_null(out);
    assert_string_equal(p.code, "bad_encoding");
    assert_string_equal(p.field, "file");
    assert_non_null(strstr(p.message, "第 3 行"));
}

static void test_utf8_file_with_one_bad_byte_names_that_line(void **state)
{
    (void)state;
    /* Read as GB18030 this fails on line 1 already; as UTF-8 on line 3. */
    const char in[] = "统一社会信用代码,企业名称\n济宁,1\n\xff,2\n";
    char *out;
    enum text_encoding enc;
    struct problem p;
    assert_int_equal(convert(in, strlen(in), &out, &enc, &p), YQ_EINVAL);
    assert_non_null(strstr(p.message, "第 3 行"));
}

static void test_truncated_gbk_character_at_the_end_is_refused(void **state)
{
    (void)state;
    const char in[] = "a\n\xbc";
    char *out;
    enum text_encoding enc;
    struct problem p;
    assert_int_equal(convert(in, strlen(in), &out, &enc, &p), YQ_EINVAL);
    assert_non_null(strstr(p.message, "第 2 行"));
}

static void test_bom_with_invalid_utf8_is_refused_not_guessed(void **state)
{
    (void)state;
    char in[64];
    snprintf(in, sizeof in,
             "\xEF\xBB\xBF"
             "a\nb\n%s\n",
             gbk_jining);
    char *out;
    enum text_encoding enc;
    struct problem p;
    assert_int_equal(convert(in, strlen(in), &out, &enc, &p), YQ_EINVAL);
    assert_non_null(strstr(p.message, "第 3 行"));
    assert_non_null(strstr(p.message, "UTF-8"));
}

static void test_utf16_and_nul_bytes_are_refused(void **state)
{
    (void)state;
    char *out;
    enum text_encoding enc;
    struct problem p;
    assert_int_equal(convert("\xFF\xFE"
                             "a\0",
                             4, &out, &enc, &p),
                     YQ_EINVAL);
    assert_non_null(strstr(p.message, "UTF-16"));
    assert_int_equal(convert("a\nb\0c", 5, &out, &enc, &p), YQ_EINVAL);
    assert_non_null(strstr(p.message, "第 2 行"));
}

static void test_valid_utf8_wins_over_gbk(void **state)
{
    (void)state;
    /* "鏂囦欢" in GBK is byte for byte "文件" in UTF-8: the rule reads it
     * as UTF-8 (documented in encoding.h). */
    const char in[] = "\xe6\x96\x87\xe4\xbb\xb6";
    char *out;
    enum text_encoding enc;
    struct problem p;
    assert_int_equal(convert(in, strlen(in), &out, &enc, &p), YQ_OK);
    assert_int_equal(enc, TEXT_UTF8);
    assert_string_equal(out, "文件");
    free(out);
}

static void test_strict_utf8_rejects_overlongs_and_surrogates(void **state)
{
    (void)state;
    size_t at = 99;
    assert_true(encoding_is_utf8("", 0, NULL));
    assert_false(encoding_is_utf8("ab\xC0\xAF", 4, &at)); /* overlong '/' */
    assert_int_equal(at, 2);
    assert_false(encoding_is_utf8("\xED\xA0\x80", 3, &at));     /* surrogate */
    assert_false(encoding_is_utf8("\xF4\x90\x80\x80", 4, &at)); /* above U+10FFFF */
    assert_false(encoding_is_utf8("\xE4\xB8", 2, &at));         /* cut short */
    assert_true(encoding_is_utf8("\xF0\x9F\x98\x80", 4, NULL));
    assert_int_equal(encoding_line_of("a\nb\nc", 4), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_is_utf8_unchanged),
        cmocka_unit_test(test_utf8_chinese_without_bom),
        cmocka_unit_test(test_utf8_bom_is_removed),
        cmocka_unit_test(test_gbk_chinese_is_converted),
        cmocka_unit_test(test_gb18030_four_byte_character_is_converted),
        cmocka_unit_test(test_invalid_bytes_name_their_line),
        cmocka_unit_test(test_utf8_file_with_one_bad_byte_names_that_line),
        cmocka_unit_test(test_truncated_gbk_character_at_the_end_is_refused),
        cmocka_unit_test(test_bom_with_invalid_utf8_is_refused_not_guessed),
        cmocka_unit_test(test_utf16_and_nul_bytes_are_refused),
        cmocka_unit_test(test_valid_utf8_wins_over_gbk),
        cmocka_unit_test(test_strict_utf8_rejects_overlongs_and_surrogates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
