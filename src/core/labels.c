/* Chinese names of codes for people (core/labels.h). The words follow the
 * web UI's zh-CN locale so that a screen and its Excel export agree. */
#include "core/labels.h"

#include <stdio.h>
#include <string.h>

struct pair {
    const char *code, *name;
};

static const char *find(const struct pair *t, size_t n, const char *code)
{
    if (!code) return NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].code, code) == 0) return t[i].name;
    return code;
}

#define FIND(table, code) find(table, sizeof table / sizeof table[0], code)

static const struct pair provider_kinds[] = {
    {"platform", "综合云平台服务商"},
    {"industry", "行业云平台服务商"},
    {"application", "云应用服务商"},
};

/* 国民经济行业分类 (GB/T 4754-2017), sections A–T. */
static const struct pair industries[] = {
    {"A", "农、林、牧、渔业"},
    {"B", "采矿业"},
    {"C", "制造业"},
    {"D", "电力、热力、燃气及水生产和供应业"},
    {"E", "建筑业"},
    {"F", "批发和零售业"},
    {"G", "交通运输、仓储和邮政业"},
    {"H", "住宿和餐饮业"},
    {"I", "信息传输、软件和信息技术服务业"},
    {"J", "金融业"},
    {"K", "房地产业"},
    {"L", "租赁和商务服务业"},
    {"M", "科学研究和技术服务业"},
    {"N", "水利、环境和公共设施管理业"},
    {"O", "居民服务、修理和其他服务业"},
    {"P", "教育"},
    {"Q", "卫生和社会工作"},
    {"R", "文化、体育和娱乐业"},
    {"S", "公共管理、社会保障和社会组织"},
    {"T", "国际组织"},
};

static const struct pair priority_flags[] = {
    {"tech", "科技型"},          {"innovative", "创新型"},        {"high_growth", "高成长型"},
    {"specialized", "专精特新"}, {"pilot", "试点示范及重点培育"},
};

static const struct pair fund_sources[] = {
    {"county", "县级财政"},
    {"city_award", "市级奖补"},
    {"province_award", "省级奖补"},
};

static const struct pair county_kinds[] = {
    {"district", "市辖区"},
    {"county", "县"},
    {"county_city", "县级市"},
    {"zone", "功能区"},
};

static const struct pair audit_entities[] = {
    {"session", "会话"},
    {"user", "账号"},
    {"enterprise", "企业"},
    {"provider", "云服务商"},
    {"catalog_item", "目录产品"},
    {"contract", "合同"},
    {"voucher", "云服务券"},
    {"budget", "预算"},
    {"program", "政策方案"},
    {"redemption", "兑现申请"},
    {"notice", "公示"},
    {"objection", "异议"},
    {"payout", "兑付批次"},
    {"clawback", "资金追回"},
    {"negative_list", "负面清单"},
    {"county", "区县"},
    {"waitlist", "候补队列"},
};

static const struct pair transfer_kinds[] = {
    {"plain", "拨入或划转"},
    {"pending", "预占"},
    {"post", "兑现过账"},
    {"void", "释放预占"},
};

const char *label_transfer_kind(const char *code)
{
    return FIND(transfer_kinds, code);
}

/* 考核与奖补: allocations, benchmark enterprises and experience centres. */
static const struct pair award_words[] = {
    {"draft", "草稿"},
    {"posted", "已拨付"},
    {"recorded", "待拨付"},
    {"paid", "已拨付"},
    {"benchmark_enterprise", "标杆企业"},
    {"experience_centre", "体验中心"},
};

const char *label_award(const char *code)
{
    return FIND(award_words, code);
}

const char *label_provider_kind(const char *code)
{
    return FIND(provider_kinds, code);
}

const char *label_industry(const char *code)
{
    return FIND(industries, code);
}

const char *label_priority_flag(const char *code)
{
    return FIND(priority_flags, code);
}

const char *label_fund_source(const char *code)
{
    return FIND(fund_sources, code);
}

const char *label_county_kind(const char *code)
{
    return FIND(county_kinds, code);
}

const char *label_audit_entity(const char *code)
{
    return FIND(audit_entities, code);
}

void label_period(const char *period, char *out, size_t n)
{
    if (!period) period = "";
    if (strlen(period) == 6 && period[4] == 'H' && (period[5] == '1' || period[5] == '2'))
        snprintf(out, n, "%.4s年%s半年", period, period[5] == '1' ? "上" : "下");
    else
        snprintf(out, n, "%s", period);
}
