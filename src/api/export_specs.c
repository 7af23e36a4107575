/* What each list's export shows (issue 10): the columns a person sees on
 * that list's screen (web/src/views), in the screen's words, with codes
 * people know (voucher code, contract number, USCC) instead of internal
 * ids. A list route without a row here cannot be exported, and
 * tests/api/test_exports.py walks every list to make sure none is left.
 *
 * `stream` (the last member) is true only for the lists whose service hands
 * out its store's rows, each touched on its own through service_stream_map
 * (a status's name, instants): none that sums, merges or reorders rows
 * after reading them, nor that reads them in more than one rows_page. */
#include "api/export.h"

#include <string.h>

/* clang-format off */
#define M(h, k) {h, k, NULL, EX_MONEY, true, NULL}    /* money, totalled */
#define N(h, k) {h, k, NULL, EX_INT, true, NULL}      /* count, totalled */
#define T(h, k) {h, k, NULL, EX_TEXT, false, NULL}    /* text */
#define K(h, k, kind) {h, k, NULL, kind, false, NULL} /* any other kind */
#define STATUS T("状态", "status_name")
#define COUNTY {"所属区县", "county_name", NULL, EX_TEXT, false, "county_code"}
/* The budget overview's columns: 预算资金 and SPEC §13's budget report. */
#define BUDGET_COLUMNS \
    {T("区县", "county_name"), \
    M("拨入合计", "funded_fen"), \
    {"其中：县级财政", "funded_by_source", "county", EX_MONEY, true, NULL}, \
    {"其中：市级奖补", "funded_by_source", "city_award", EX_MONEY, true, NULL}, \
    {"其中：省级奖补", "funded_by_source", "province_award", EX_MONEY, true, NULL}, \
    M("已占用", "reserved_fen"), \
    M("已兑现", "posted_fen"), \
    M("已拨付", "paid_fen"), \
    M("已追回", "recovered_fen"), \
    M("可用余额", "available_fen"), \
    N("发券数", "vouchers"), \
    N("候补数", "waitlist_count"), \
    M("候补金额", "waitlist_fen")}
/* clang-format on */

const struct export_spec export_specs[] = {
    {"/api/v1/users",
     "账号列表",
     {T("用户名", "username"), T("姓名/名称", "display_name"), K("角色", "role", EX_ROLE), COUNTY,
      K("状态", "locked", EX_LOCKED), K("创建时间", "created_at", EX_INSTANT)},
     false},
    {"/api/v1/login-throttles",
     "登录限速与注册限额（近一天）",
     {T("账号或地址", "key"), N("失败次数", "count"), K("最近一次", "at", EX_INSTANT)},
     false},
    {"/api/v1/counties",
     "区县与目标",
     {T("区划代码", "code"), T("名称", "name"), K("类型", "kind", EX_COUNTY_KIND),
      N("2018年上云目标（家）", "target_2018"), N("企业总数（家）", "enterprise_count")},
     false},
    {"/api/v1/audit",
     "审计日志",
     {K("序号", "seq", EX_INT), K("时间", "at", EX_INSTANT), K("操作人", "actor_username", EX_ACTOR),
      K("角色", "actor_role", EX_ROLE), K("对象类型", "entity", EX_ENTITY),
      T("对象编号", "entity_id"), K("动作", "action", EX_AUDIT_ACTION), T("来源地址", "client_addr")},
     false},
    {"/api/v1/programs",
     "政策方案列表",
     {T("方案名称", "name"), T("文号", "doc_no"), T("适用城市", "city_name"),
      K("参数版本", "version", EX_INT)},
     false},
    {"/api/v1/enterprises",
     "企业列表",
     {T("企业名称", "name"), T("统一社会信用代码", "uscc"), COUNTY,
      K("行业门类", "industry", EX_INDUSTRY), K("重点产业", "key_industry_tags", EX_LIST),
      K("优先支持类别", "priority_flags", EX_FLAGS), STATUS,
      K("提交时间", "submitted_at", EX_INSTANT)},
     false},
    {"/api/v1/providers",
     "云服务商列表",
     {T("服务商名称", "name"), T("统一社会信用代码", "uscc"),
      K("服务商类型", "kind", EX_PROVIDER_KIND), STATUS, K("提交时间", "submitted_at", EX_INSTANT)},
     false},
    {"/api/v1/public/reference-catalog",
     "参考服务目录（附件2）",
     {K("序号", "id", EX_INT), T("大类", "category"), T("小类", "subcategory"),
      T("服务", "service")},
     false},
    {"/api/v1/public/catalog",
     "云服务目录",
     {T("产品名称", "name"),
      T("云服务商", "provider_name"),
      T("大类", "category"),
      T("小类", "subcategory"),
      T("参考目录服务", "service"),
      T("规格", "specification"),
      T("计价单位", "unit"),
      {"标准价格", "list_price_fen", NULL, EX_MONEY, false, NULL},
      {"优惠价格", "discount_price_fen", NULL, EX_MONEY, false, NULL},
      K("有效期起", "valid_from", EX_DATE),
      K("有效期止", "valid_until", EX_DATE)},
     false},
    {"/api/v1/public/providers",
     "云服务商名录",
     {T("服务商名称", "name"), T("统一社会信用代码", "uscc"),
      K("服务商类型", "kind", EX_PROVIDER_KIND), T("资质", "qualifications"),
      N("已发布产品（项）", "published_items")},
     false},
    {"/api/v1/catalog-items",
     "目录产品列表",
     {T("产品名称", "name"),
      T("云服务商", "provider_name"),
      T("参考目录服务", "service"),
      {"标准价格", "list_price_fen", NULL, EX_MONEY, false, NULL},
      {"优惠价格", "discount_price_fen", NULL, EX_MONEY, false, NULL},
      K("当前版本", "latest_version", EX_INT),
      STATUS},
     false},
    {"/api/v1/public/negative-list",
     "信用负面清单",
     {T("名称", "name"), T("统一社会信用代码", "uscc"), T("列入原因", "reason"),
      K("列入时间", "added_at", EX_INSTANT)},
     false},
    {"/api/v1/negative-list",
     "信用负面清单（含已移出）",
     {T("名称", "name"), T("统一社会信用代码", "uscc"), T("列入原因", "reason"),
      T("证据材料", "evidence"), K("列入时间", "added_at", EX_INSTANT),
      K("状态", "lifted_at", EX_LIFTED), K("移出时间", "lifted_at", EX_INSTANT),
      T("移出原因", "lift_reason")},
     false},
    {"/api/v1/contracts",
     "合同列表",
     {T("合同编号", "contract_no"), T("企业", "enterprise_name"), T("云服务商", "provider_name"),
      COUNTY, K("签订日期", "signed_on", EX_DATE), K("服务开始", "service_start", EX_DATE),
      K("服务结束", "service_end", EX_DATE), M("合同总额", "total_fen"), M("补贴基数", "base_fen"),
      K("起草方", "drafted_by_role", EX_ROLE), STATUS, K("确认时间", "confirmed_at", EX_INSTANT)},
     true},
    {"/api/v1/vouchers",
     "云服务券列表",
     {T("券号", "code"), T("企业", "enterprise_name"), T("云服务商", "provider_name"), COUNTY,
      M("券面金额", "amount_fen"), M("已兑现", "redeemed_fen"), M("已追回", "clawed_back_fen"),
      M("剩余可用", "remaining_fen"), STATUS, K("发放时间", "issued_at", EX_INSTANT), K("服务结束", "service_end", EX_DATE)},
     true},
    {"/api/v1/waitlist",
     "候补队列",
     {K("位次", "place", EX_INT), T("企业", "enterprise_name"), COUNTY, K("年度", "year", EX_INT),
      M("申请金额", "amount_fen"), K("合同确认时间", "confirmed_at", EX_INSTANT), STATUS},
     false},
    {"/api/v1/budgets",
     "预算资金",
     BUDGET_COLUMNS,
     false},
    {"/api/v1/reports/budget",
     "预算使用报表",
     BUDGET_COLUMNS,
     false},
    {"/api/v1/reports/payments",
     "分期兑付报表",
     {T("区划代码", "county_code"), T("区县", "county_name"), K("兑现周期", "period", EX_PERIOD),
      M("已兑付金额", "paid_fen"), K("获兑付服务商（家）", "providers", EX_INT)},
     false},
    {"/api/v1/budgets/fundings",
     "预算资金拨入记录",
     {T("区县", "county_name"), K("年度", "year", EX_INT), T("资金来源", "source_name"),
      M("金额", "amount_fen"), T("拨款文号或凭证号", "reference"), T("登记人", "recorded_by"),
      K("登记人角色", "recorded_by_role", EX_ROLE), K("登记时间", "created_at", EX_INSTANT)},
     false},
    {"/api/v1/reports/county-progress",
     "各区县上云进度",
     {T("区县", "county_name"), N("上云企业（家）", "enterprises_on_cloud"),
      N("目标（家）", "target"), N("发券数", "vouchers"), M("券面金额", "voucher_amount_fen")},
     false},
    {"/api/v1/targets",
     "各区县上云目标",
     {T("区划代码", "county_code"), T("区县", "county_name"), N("目标（户）", "target"),
      N("企业总数", "enterprise_count"), K("版本", "version", EX_INT), T("设定原因", "reason"),
      T("设定人", "set_by"), K("设定时间", "set_at", EX_INSTANT)},
     false},
    {"/api/v1/reports/completion",
     "各区县上云完成情况",
     {T("区划代码", "county_code"), T("区县", "county_name"), N("目标（户）", "target"),
      N("企业总数", "enterprise_count"), N("新上云企业", "new_on_cloud"),
      K("完成率", "completion_bp", EX_PERCENT_BP), N("累计上云", "on_cloud_total"),
      K("上云占比", "share_bp", EX_PERCENT_BP), N("发券数", "vouchers"),
      M("发券金额", "voucher_amount_fen"), M("占用中", "reserved_fen"),
      M("上半年兑付", "paid_h1_fen"), M("下半年兑付", "paid_h2_fen"), N("候补", "waitlist_count")},
     false},
    {"/api/v1/assessment",
     "各区县绩效评分",
     {T("区县", "county_name"), K("得分", "score_hundredths", EX_SCORE), T("说明", "note"),
      T("录入人", "set_by"), K("录入时间", "set_at", EX_INSTANT)},
     false},
    /* The preview of one allocation (SPEC §9): each county's measures
     * and share, as on 考核与奖补's preview table. */
    {"/api/v1/awards/allocations/{id}",
     "奖补分配预览",
     {T("区划代码", "county_code"), T("区县", "county_name"),
      {"新上云企业（家）", "measures", "new_on_cloud", EX_INT, true, NULL},
      {"目标（户）", "measures", "target", EX_INT, true, NULL},
      {"完成率", "measures", "completion_bp", EX_PERCENT_BP, false, NULL},
      {"上云占比", "measures", "share_bp", EX_PERCENT_BP, false, NULL},
      {"已兑付", "measures", "paid_fen", EX_MONEY, true, NULL},
      {"绩效得分", "measures", "score_hundredths", EX_SCORE, false, NULL},
      M("分配金额", "share_fen")},
     false},
    {"/api/v1/awards/allocations",
     "奖补分配列表",
     {T("文号", "reference"), K("年度", "year", EX_INT), M("奖补资金", "pool_fen"),
      K("完成率权重", "w_completion", EX_INT), K("占比权重", "w_penetration", EX_INT),
      K("兑付权重", "w_disbursed", EX_INT), K("绩效权重", "w_performance", EX_INT),
      K("状态", "status", EX_AWARD), K("创建时间", "created_at", EX_INSTANT),
      K("拨付时间", "posted_at", EX_INSTANT)},
     false},
    {"/api/v1/awards/recipients",
     "标杆企业与体验中心奖励",
     {K("类别", "kind", EX_AWARD), K("年度", "year", EX_INT), T("区县", "county_name"),
      T("名称", "name"), T("统一社会信用代码", "uscc"), M("奖励金额", "amount_fen"),
      T("奖励事由", "reason"), K("状态", "status", EX_AWARD), T("拨付凭证号", "payment_reference"),
      K("登记时间", "recorded_at", EX_INSTANT)},
     false},
    {"/api/v1/ledger/transfers",
     "账簿转账记录",
     {K("序号", "seq", EX_INT),
      K("时间", "created_at", EX_INSTANT),
      K("类型", "kind", EX_TRANSFER),
      {"借方账户", "debit_account_name", NULL, EX_TEXT, false, "debit_account"},
      {"贷方账户", "credit_account_name", NULL, EX_TEXT, false, "credit_account"},
      {"金额", "amount_fen", NULL, EX_MONEY, false, NULL},
      T("凭证或券号", "reference")},
     false},
    {"/api/v1/redemptions/periods",
     "兑现周期与申请期",
     {K("兑现周期", "period", EX_PERIOD), K("申请期起", "opens_on", EX_DATE),
      K("申请期止", "closes_on", EX_DATE), K("正在申请期内", "open", EX_BOOL)},
     false},
    {"/api/v1/redemptions/claimable",
     "可申请兑现的云服务券",
     {T("券号", "code"), T("企业", "enterprise_name"), T("合同编号", "contract_no"),
      M("券面金额", "amount_fen"), M("已兑现", "redeemed_fen"), M("申请中", "open_claims_fen"),
      M("剩余可申请", "claimable_fen"), K("服务开始", "service_start", EX_DATE),
      K("服务结束", "service_end", EX_DATE), STATUS},
     false},
    {"/api/v1/redemptions",
     "兑现申请列表",
     {K("兑现周期", "period", EX_PERIOD), T("云服务商", "provider_name"), T("区县", "county_name"),
      N("券数", "items_count"), M("申请金额", "claim_fen"), M("批准金额", "approved_fen"),
      K("评价得分", "score_hundredths", EX_SCORE), STATUS,
      K("提交时间", "submitted_at", EX_INSTANT)},
     false},
    {"/api/v1/notices",
     "兑现公示列表",
     {T("公示编号", "notice_no"), T("区县", "county_name"), K("公示开始", "opens_on", EX_DATE),
      K("公示截止", "close_day", EX_DATE), K("最早可结束", "earliest_close_at", EX_INSTANT),
      N("兑现申请数", "items_count"), M("公示金额", "total_fen"),
      N("待处理异议", "open_objections"), STATUS},
     false},
    {"/api/v1/public/notices",
     "兑现公示公告",
     {T("公示编号", "notice_no"), T("区县", "county_name"), K("公示开始", "opens_on", EX_DATE),
      K("公示截止", "close_day", EX_DATE), N("兑现申请数", "items_count"),
      M("公示金额", "total_fen"), STATUS},
     false},
    {"/api/v1/payouts",
     "兑付批次列表",
     {T("批次号", "batch_no"), K("创建时间", "created_at", EX_INSTANT), T("区县", "county_name"),
      N("兑现申请数", "redemptions"), M("兑付金额", "total_fen"), K("兑付日期", "paid_on", EX_DATE),
      T("拨款文号或凭证号", "reference"), STATUS},
     true},
    {"/api/v1/payouts/{id}/bank.xlsx",
     "银行付款文件",
     {T("收款单位", "payee"), T("开户银行", "bank_name"), T("银行账号", "bank_account"),
      M("金额", "amount_fen"), T("券号", "voucher_code")},
     false},
    {"/api/v1/clawbacks",
     "资金追回列表",
     {K("追回时间", "created_at", EX_INSTANT), COUNTY, T("券号", "voucher_code"),
      M("追回金额", "amount_fen"), T("追回原因", "reason"), T("依据", "evidence"),
      T("经办人", "created_by")},
     true},
};

const size_t export_spec_count = sizeof export_specs / sizeof export_specs[0];

const struct export_spec *export_spec_find(const char *route)
{
    for (size_t i = 0; route && i < export_spec_count; i++)
        if (strcmp(export_specs[i].route, route) == 0) return &export_specs[i];
    return NULL;
}

size_t export_ncols(const struct export_spec *s)
{
    size_t n = 0;
    while (n < EXPORT_MAX_COLUMNS && s->cols[n].header)
        n++;
    return n;
}
