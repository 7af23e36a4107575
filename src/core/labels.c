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
    {"login", "登录"},
    {"award_allocation", "奖补分配"},
    {"award_recipient", "奖补对象"},
    {"enterprise_import", "企业批量导入"},
    {"county_target", "区县目标"},
    {"county_score", "区县考核得分"},
};

/* Actions of the audit log; "entity/action" first where one entity's word
 * differs from the general one. */
static const struct pair audit_actions[] = {
    {"contract/cancel", "撤销草稿"},
    {"waitlist/cancel", "取消候补"},
    {"waitlist/lapse", "候补失效（队列关闭）"},
    {"notice/open", "发布公示"},
    {"notice/close", "结束公示"},
    {"negative_list/add", "列入负面清单"},
    {"negative_list/lift", "移出负面清单"},
    {"redemption/reject", "不予兑现"},
    {"payout/paid", "确认已付款"},
    {"login/locked", "锁定登录"},
    {"login/throttled", "限制登录"},
    {"login/unlocked", "解除登录限制"},
    {"create", "新建"},
    {"edit", "修改"},
    {"submit", "提交"},
    {"approve", "审核通过"},
    {"reject", "驳回"},
    {"publish", "发布"},
    {"withdraw", "撤回"},
    {"draft", "起草"},
    {"confirm", "确认"},
    {"cancel", "撤销"},
    {"terminate", "终止"},
    {"issue", "发放"},
    {"redeem", "兑现"},
    {"expire", "到期失效"},
    {"join", "加入候补"},
    {"serve", "候补转发放"},
    {"signup", "注册"},
    {"disqualify", "取消资格"},
    {"reinstate", "恢复资格"},
    {"fund", "拨入资金"},
    {"file", "提出异议"},
    {"uphold", "异议成立"},
    {"dismiss", "异议不成立"},
    {"notice_open", "进入公示"},
    {"objection_upheld", "因异议退回"},
    {"notice_close", "公示结束"},
    {"pay", "兑付"},
    {"evaluate", "评估打分"},
    {"return", "退回修改"},
    {"resubmit", "重新提交"},
    {"attach", "上传附件"},
    {"login", "登录"},
    {"logout", "退出登录"},
    {"lock", "锁定账号"},
    {"unlock", "解锁账号"},
    {"set_password", "重置密码"},
    {"change_password", "修改密码"},
    {"assign_counties", "分配区县"},
    {"load_reference", "载入参考数据"},
    {"generate", "生成演示数据"},
    {"update_parameters", "修改参数"},
    {"add", "加入"},
    {"lift", "移出"},
    {"post", "拨付"},
    {"record", "登记"},
    {"set", "设定"},
    {"import", "导入"},
    {"open", "开始"},
    {"close", "结束"},
    {"paid", "已付款"},
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

const char *label_audit_action(const char *entity, const char *action)
{
    if (!action) return NULL;
    char both[96];
    snprintf(both, sizeof both, "%s/%s", entity ? entity : "", action);
    for (size_t i = 0; i < sizeof audit_actions / sizeof audit_actions[0]; i++)
        if (strcmp(audit_actions[i].code, both) == 0) return audit_actions[i].name;
    return FIND(audit_actions, action);
}

void label_period(const char *period, char *out, size_t n)
{
    if (!period) period = "";
    if (strlen(period) == 6 && period[4] == 'H' && (period[5] == '1' || period[5] == '2'))
        snprintf(out, n, "%.4s年%s半年", period, period[5] == '1' ? "上" : "下");
    else
        snprintf(out, n, "%s", period);
}
