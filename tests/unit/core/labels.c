/* Tests of src/core/labels.c: the Chinese names exports and screens share. */
#include "test.h"

#include "core/labels.h"

static void test_known_codes_have_the_words_of_the_web_ui(void **state)
{
    (void)state;
    assert_string_equal(label_provider_kind("platform"), "综合云平台服务商");
    assert_string_equal(label_industry("C"), "制造业");
    assert_string_equal(label_priority_flag("specialized"), "专精特新");
    assert_string_equal(label_fund_source("city_award"), "市级奖补");
    assert_string_equal(label_county_kind("county_city"), "县级市");
    assert_string_equal(label_audit_entity("contract"), "合同");
    assert_string_equal(label_transfer_kind("pending"), "预占");
    assert_string_equal(label_award("experience_centre"), "体验中心");
    assert_string_equal(label_award("recorded"), "待拨付");
}

static void test_an_unknown_code_is_shown_as_it_is_and_null_stays_null(void **state)
{
    (void)state;
    assert_string_equal(label_industry("Z"), "Z");
    assert_string_equal(label_provider_kind("satellite"), "satellite");
    assert_null(label_fund_source(NULL));
}

static void test_audit_actions_use_the_words_of_their_entity(void **state)
{
    (void)state;
    assert_string_equal(label_audit_action("contract", "confirm"), "确认");
    assert_string_equal(label_audit_action("contract", "cancel"), "撤销草稿");
    assert_string_equal(label_audit_action("waitlist", "cancel"), "取消候补");
    assert_string_equal(label_audit_action("voucher", "issue"), "发放");
    assert_string_equal(label_audit_action("login", "locked"), "锁定登录");
    assert_string_equal(label_audit_action(NULL, "submit"), "提交");
    assert_string_equal(label_audit_action("contract", "teleport"), "teleport");
    assert_null(label_audit_action("contract", NULL));
    assert_string_equal(label_audit_entity("award_recipient"), "奖补对象");
}

static void test_half_year_periods_read_as_upper_and_lower_half(void **state)
{
    (void)state;
    char s[32];
    label_period("2019H1", s, sizeof s);
    assert_string_equal(s, "2019年上半年");
    label_period("2020H2", s, sizeof s);
    assert_string_equal(s, "2020年下半年");
    label_period("2019Q3", s, sizeof s);
    assert_string_equal(s, "2019Q3");
    label_period(NULL, s, sizeof s);
    assert_string_equal(s, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_codes_have_the_words_of_the_web_ui),
        cmocka_unit_test(test_audit_actions_use_the_words_of_their_entity),
        cmocka_unit_test(test_an_unknown_code_is_shown_as_it_is_and_null_stays_null),
        cmocka_unit_test(test_half_year_periods_read_as_upper_and_lower_half),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
