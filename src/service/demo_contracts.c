/* Demo budgets, contracts and vouchers for the demo program (this year):
 * every county funded at its 2018 target × ¥15,000 except 邹城市, which
 * gets too little so that its application waits on the waitlist; contracts
 * in every state (draft, confirmed with a voucher, cancelled, terminated
 * with its voucher ended). Made through the use cases, so the ledger and
 * the audit log are as real use would leave them. Idempotent. */
#include "core/clock.h"
#include "core/status.h"
#include "service/accounts.h"
#include "service/contracts.h"
#include "service/demo.h"
#include "store/catalog.h"
#include "store/demo.h"
#include "store/parties.h"
#include "store/rows.h"

#include <stdio.h>
#include <string.h>

#define WAITLIST_COUNTY "370883"

int demo_actor(struct db *db, const char *username, struct actor *a, struct problem *p)
{
    memset(a, 0, sizeof *a);
    if (accounts_find(db, username, &a->user, p) != YQ_OK) return p->status;
    a->role = role_parse(a->user.role);
    a->client_addr = "demo";
    return YQ_OK;
}

/* The ids the plan needs: demo enterprises by name and published items by
 * the name of their version. A missing one means the demo registry was not
 * made ("bad_demo"); a failed read is a database error. */
static int lookup(struct db *db, int (*find)(struct db *, const char *, char[ID_LEN + 1]),
                  const char *name, char out[ID_LEN + 1], struct problem *p)
{
    int rc = find(db, name, out);
    if (rc == YQ_ENOTFOUND)
        return problem_set(p, YQ_ERR, "bad_demo", NULL, "演示数据缺少企业或目录产品");
    return rc == YQ_OK ? YQ_OK : problem_db_error(p);
}

static json_t *draft(struct db *db, const struct actor *provider, const char *enterprise_id,
                     const char *item_id, const char *no, int64_t quantity, int64_t price,
                     struct problem *p)
{
    int y;
    unsigned m, d;
    clock_civil_from_days(clock_cst_day(clock_now_ms()), &y, &m, &d);
    char signed_on[48], start[48], end[48];
    snprintf(signed_on, sizeof signed_on, "%04d-%02u-%02u", y, m, d > 1 ? d - 1 : d);
    snprintf(start, sizeof start, "%04d-%02u-01", y, m);
    snprintf(end, sizeof end, "%04d-%02u-28", y + 1, m);
    json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:I, s:I}, {s:s, s:s, s:i, s:i}]}",
                             "enterprise_id", enterprise_id, "contract_no", no, "signed_on",
                             signed_on, "service_start", start, "service_end", end, "lines",
                             "catalog_item_id", item_id, "quantity", (json_int_t)quantity,
                             "unit_price_fen", (json_int_t)price, "description", "上云迁移与培训服务",
                             "unit", "项", "quantity", 1, "unit_price_fen", 300000);
    json_t *c = contracts_draft(db, provider, body, p);
    json_decref(body);
    return c;
}

int demo_create_contracts(struct db *db, struct problem *p)
{
    bool made;
    if (demo_contracts_exist(db, &made) != YQ_OK) return problem_db_error(p);
    if (made) return YQ_OK;
    int y;
    unsigned m, d;
    clock_civil_from_days(clock_cst_day(clock_now_ms()), &y, &m, &d);
    struct actor county_fin, city_fin, provider, prov_app, county_it;
    int rc;
    if ((rc = demo_actor(db, "county_finance", &county_fin, p)) ||
        (rc = demo_actor(db, "city_finance", &city_fin, p)) ||
        (rc = demo_actor(db, "provider", &provider, p)) ||
        (rc = demo_actor(db, "prov_app", &prov_app, p)) ||
        (rc = demo_actor(db, "county_it", &county_it, p)))
        return rc;
    /* Budgets: county money for every county; a city award on top for
     * 任城区 to show the sources kept apart. */
    json_t *counties = counties_list(db);
    if (!counties) return problem_db_error(p);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(counties, "items"), i, c)
    {
        const char *code = rows_str(c, "code");
        int64_t amount = strcmp(code, WAITLIST_COUNTY) == 0
                             ? 100000 /* ¥1,000: not enough for its applicant */
                             : json_integer_value(json_object_get(c, "target_2018")) * 1500000;
        /* County finance officials fund their own county: act as one. */
        struct actor fin = county_fin;
        snprintf(fin.user.county_code, sizeof fin.user.county_code, "%s", code);
        char ref[64];
        snprintf(ref, sizeof ref, "%s财预〔%d〕8号", code, y);
        json_t *body = json_pack("{s:I, s:s, s:s}", "amount_fen", (json_int_t)amount, "source",
                                 "county", "reference", ref);
        json_t *r = budgets_fund(db, &fin, code, y, body, p);
        json_decref(body);
        if (!r) {
            json_decref(counties);
            return p->status;
        }
        json_decref(r);
    }
    json_decref(counties);
    json_t *award = json_pack("{s:I, s:s, s:s}", "amount_fen", (json_int_t)20000000, "source",
                              "city_award", "reference", "济财企指〔示范〕3号");
    json_t *r = budgets_fund(db, &city_fin, "370811", y, award, p);
    json_decref(award);
    if (!r) return p->status;
    json_decref(r);

    char e_demo[ID_LEN + 1], e_yz[ID_LEN + 1], e_qf[ID_LEN + 1], e_zc[ID_LEN + 1];
    char item_server[ID_LEN + 1], item_erp[ID_LEN + 1];
    if ((rc = lookup(db, enterprises_find_by_name, "济宁示范制造有限公司", e_demo, p)) ||
        (rc = lookup(db, enterprises_find_by_name, "兖州精工机械有限公司", e_yz, p)) ||
        (rc = lookup(db, enterprises_find_by_name, "曲阜文旅数字科技有限公司", e_qf, p)) ||
        (rc = lookup(db, enterprises_find_by_name, "邹城煤化新材料有限公司", e_zc, p)) ||
        (rc = lookup(db, catalog_item_find_published, "计算型云服务器 8核16G", item_server, p)) ||
        (rc = lookup(db, catalog_item_find_published, "云 ERP 进销存 标准版", item_erp, p)))
        return rc;

    struct {
        struct actor *drafter;
        const char *enterprise, *item, *no, *then;
        int64_t qty, price;
    } plan[] = {
        {&provider, e_demo, item_server, "QL-DEMO-001", "confirm", 12, 99000},
        {&provider, e_yz, item_server, "QL-DEMO-002", "terminate", 24, 99000},
        {&prov_app, e_qf, item_erp, "KM-DEMO-003", "draft", 1, 860000},
        {&prov_app, e_qf, item_erp, "KM-DEMO-004", "cancel", 1, 860000},
        {&provider, e_zc, item_server, "QL-DEMO-005", "confirm", 12, 99000},
    };
    for (size_t k = 0; k < sizeof plan / sizeof plan[0]; k++) {
        json_t *contract = draft(db, plan[k].drafter, plan[k].enterprise, plan[k].item, plan[k].no,
                                 plan[k].qty, plan[k].price, p);
        if (!contract) return p->status;
        char id[32];
        snprintf(id, sizeof id, "%s", rows_str(contract, "id"));
        json_decref(contract);
        const char *then = plan[k].then;
        if (strcmp(then, "draft") == 0) continue;
        if (strcmp(then, "cancel") == 0) {
            json_t *x = contracts_cancel(db, plan[k].drafter, id, p);
            if (!x) return p->status;
            json_decref(x);
            continue;
        }
        /* The enterprise confirms (双方确认). */
        json_t *ent_row = NULL;
        rc = parties_get(db, "enterprises", plan[k].enterprise, &ent_row);
        if (rc == YQ_ENOTFOUND) return problem_set(p, YQ_ERR, "bad_demo", NULL, "演示企业缺失");
        if (rc != YQ_OK) return problem_db_error(p);
        struct actor ent;
        memset(&ent, 0, sizeof ent);
        rc = users_get(db, rows_str(ent_row, "user_id"), &ent.user);
        json_decref(ent_row);
        if (rc == YQ_ENOTFOUND) return problem_set(p, YQ_ERR, "bad_demo", NULL, "演示企业账号缺失");
        if (rc != YQ_OK) return problem_db_error(p);
        ent.role = ROLE_ENTERPRISE;
        ent.client_addr = "demo";
        int status;
        json_t *x = contracts_confirm(db, &ent, id, &status, p);
        if (!x) return p->status;
        json_decref(x);
        if (strcmp(then, "terminate") == 0) {
            /* The county official ends a contract that was not fulfilled. */
            struct actor it = county_it;
            snprintf(it.user.county_code, sizeof it.user.county_code, "370812");
            x = contracts_terminate(db, &it, id, "企业未按合同使用云服务（演示）", p);
            if (!x) return p->status;
            json_decref(x);
        }
    }
    return YQ_OK;
}
