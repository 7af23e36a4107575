/* Demo registrations, made through the same use cases people use: a dozen
 * enterprises across counties in every registration state (with reviewer
 * warnings on some), three approved providers (one of each kind) and
 * published catalog items in all three categories. Idempotent: does
 * nothing when the demo enterprise already has a record. */
#include "service/demo.h"
#include "core/clock.h"
#include "core/status.h"
#include "core/uscc.h"
#include "service/accounts.h"
#include "service/catalog.h"
#include "service/parties.h"
#include "store/id.h"
#include "store/parties.h"
#include "store/rows.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* A valid USCC: "91" + division + "MA3C" + 4 digits + check digits. */
static void make_uscc(const char *division, int seq, char out[USCC_LEN + 1])
{
    snprintf(out, USCC_LEN + 1, "91%.6sMA3C%04d", division, seq % 10000);
    out[16] = uscc_org_check_char(out + 8);
    out[17] = '\0';
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

static void random_password(char out[32])
{
    static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
    for (int i = 0; i < 16; i++) out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[16] = '\0';
}

/* The account of a party, as an actor. */
static int actor_of(struct db *db, const char *username, struct actor *a, struct problem *p)
{
    memset(a, 0, sizeof *a);
    if (accounts_find(db, username, &a->user, p) != YQ_OK) return p->status;
    a->role = role_parse(a->user.role);
    a->client_addr = "demo";
    return YQ_OK;
}

/* Signs up (or, for the demo's role accounts, attaches) a party and fills
 * its profile; returns its id in id_out. */
static int make_party(struct db *db, const char *role, const char *username,
                      const char *password, const char *uscc, const char *name,
                      const char *county, json_t *profile, char id_out[32], struct problem *p)
{
    struct actor a;
    json_t *party = NULL;
    int rc;
    if (users_get_by_username(db, username, &a.user) == YQ_OK) {
        /* The role account exists (yunquan demo made it): give it a record
         * the way sign-up would. */
        char id[ID_LEN + 1];
        id_new(id);
        int64_t now = clock_now_ms();
        json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id", id, "user_id",
                                a.user.id, "uscc", uscc, "name", name, "status", "draft",
                                "created_at", (json_int_t)now, "updated_at", (json_int_t)now);
        if (county) json_object_set_new(row, "county_code", json_string(county));
        rc = db_begin(db, true);
        if (rc == YQ_OK) rc = rows_insert(db, strcmp(role, "enterprise") == 0 ? "enterprises" : "providers", row);
        if (rc == YQ_OK) rc = db_commit(db); else db_rollback(db);
        json_decref(row);
        if (rc != YQ_OK) return problem_set(p, rc, "internal", NULL, "数据库错误：%s", db_error(db));
        snprintf(id_out, 32, "%s", id);
    } else {
        struct signup_input in = {role, username, password, uscc, name, county, .unlimited = true};
        struct login_result lr;
        json_t *me = NULL;
        if ((rc = parties_signup(db, &in, "demo", NULL, &lr, &party, &me, p)) != YQ_OK) return rc;
        json_decref(me);
        snprintf(id_out, 32, "%s", json_string_value(json_object_get(party, "id")));
        json_decref(party);
    }
    if ((rc = actor_of(db, username, &a, p)) != YQ_OK) return rc;
    enum party_kind k = strcmp(role, "enterprise") == 0 ? PARTY_ENTERPRISE : PARTY_PROVIDER;
    json_t *r = parties_edit(db, &a, k, id_out, profile, p);
    if (!r) return p->status;
    json_decref(r);
    return YQ_OK;
}

static int advance(struct db *db, const char *username, const char *reviewer, enum party_kind k,
                   const char *id, const char *target, struct problem *p)
{
    if (strcmp(target, "draft") == 0) return YQ_OK;
    struct actor owner, official;
    int rc;
    if ((rc = actor_of(db, username, &owner, p)) != YQ_OK) return rc;
    json_t *r = parties_submit(db, &owner, k, id, p);
    if (!r) return p->status;
    json_decref(r);
    if (strcmp(target, "submitted") == 0) return YQ_OK;
    if ((rc = actor_of(db, reviewer, &official, p)) != YQ_OK) return rc;
    bool approve = strcmp(target, "rejected") != 0;
    r = parties_review(db, &official, k, id, approve,
                       approve ? NULL : "营业执照复印件不清晰，请重新上传后提交", p);
    if (!r) return p->status;
    json_decref(r);
    if (strcmp(target, "disqualified") == 0) {
        json_t *row = NULL;
        parties_get(db, k == PARTY_ENTERPRISE ? "enterprises" : "providers", id, &row);
        struct actor city;
        if ((rc = actor_of(db, "city_it", &city, p)) != YQ_OK) return rc;
        json_t *e = negative_list_add(db, &city, json_string_value(json_object_get(row, "uscc")),
                                      "虚报云服务合同金额，套取财政补贴",
                                      "2019年专项检查发现合同与发票金额不符（检查记录 JN-2019-017）", p);
        json_decref(row);
        if (!e) return p->status;
        json_decref(e);
    }
    return YQ_OK;
}

struct demo_enterprise {
    const char *name, *county, *division, *phone, *legal_rep, *industry, *state;
    int employees;
    const char *flag;
};

static const struct demo_enterprise enterprises[] = {
    {"济宁示范制造有限公司", "370811", "370811", "13905370001", "刘建国", "C", "approved", 320, "tech"},
    {"兖州精工机械有限公司", "370812", "370812", "13905370002", "张立新", "C", "approved", 180, "specialized"},
    {"曲阜文旅数字科技有限公司", "370881", "370881", "13905370003", "孔维东", "R", "approved", 45, "innovative"},
    {"邹城煤化新材料有限公司", "370883", "370883", "13905370004", "李明", "C", "approved", 600, "pilot"},
    {"任城区云帆物流有限公司", "370811", "370811", "13905370005", "王海", "G", "submitted", 80, "high_growth"},
    {"任城区鲁源食品有限公司", "370811", "350100", "13905370006", "赵刚", "C", "submitted", 150, "tech"},
    {"任城区德信商贸有限公司", "370811", "370811", "13905370006", "钱卫", "F", "submitted", 30, "innovative"},
    {"嘉祥石雕艺术有限公司", "370829", "370829", "13905370008", "孙强", "C", "submitted", 60, "specialized"},
    {"金乡大蒜产业发展有限公司", "370828", "370828", "13905370009", "周平", "A", "rejected", 200, "pilot"},
    {"汶上纺织有限公司", "370830", "370830", "13905370010", "吴勇", "C", "draft", 400, "tech"},
    {"梁山专用汽车制造有限公司", "370832", "370832", "13905370011", "郑斌", "C", "draft", 900, "high_growth"},
    {"微山湖生态农业有限公司", "370826", "370826", "13905370012", "冯军", "A", "disqualified", 70, "innovative"},
    /* Holders of the vouchers that the demo redeems (demo_redemptions.c). */
    {"任城区鸿运机电有限公司", "370811", "370811", "13905370013", "陈亮", "C", "approved", 210, "tech"},
    {"任城区汇通智能装备有限公司", "370811", "370811", "13905370014", "褚明", "C", "approved", 130, "specialized"},
    {"兖州区恒泰建材有限公司", "370812", "370812", "13905370015", "卫东", "C", "approved", 260, "pilot"},
};

struct demo_provider {
    const char *username, *name, *kind, *division;
};

static const struct demo_provider providers[] = {
    {"provider", "齐鲁云计算服务有限公司", "platform", "370811"},
    {"prov_industry", "济宁工业互联网平台有限公司", "industry", "370871"},
    {"prov_app", "孔孟之乡软件有限公司", "application", "370881"},
};

struct demo_item {
    int provider; /* index in providers */
    int service_id;
    const char *name, *unit, *spec;
    int64_t list_fen, discount_fen;
};

static const struct demo_item items[] = {
    {0, 1, "通用型云服务器 2核4G", "月", "2 vCPU / 4 GiB / 40 GiB 系统盘", 30000, 25500},
    {0, 1, "计算型云服务器 8核16G", "月", "8 vCPU / 16 GiB / 100 GiB 系统盘", 120000, 99000},
    {0, 9, "对象存储 1TB 标准型", "年", "1 TiB 容量，含 100 GiB 月流量", 180000, 150000},
    {1, 38, "工业大数据分析平台 标准版", "年", "10 个数据源，5 个分析看板", 2400000, 2000000},
    {1, 43, "设备物联接入平台", "年", "500 台设备接入，数据保存 1 年", 1500000, 1350000},
    {2, 70, "云 ERP 进销存 标准版", "年", "20 个用户，含财务模块", 960000, 860000},
    {2, 60, "协同办公 OA 云服务", "年", "100 个用户", 360000, 300000},
};

int demo_create_registry(struct db *db, const char *password, struct problem *p)
{
    json_t *existing = NULL;
    struct user demo_ent;
    if (users_get_by_username(db, "enterprise", &demo_ent) == YQ_OK &&
        parties_get_by_user(db, "enterprises", demo_ent.id, &existing) == YQ_OK) {
        json_decref(existing);
        return YQ_OK;
    }
    char pw[32];
    int rc;
    /* Providers first: approved by the city, each with published items. */
    char provider_ids[3][32];
    for (int i = 0; i < 3; i++) {
        const struct demo_provider *d = &providers[i];
        char uscc[USCC_LEN + 1];
        make_uscc(d->division, 9000 + i, uscc);
        if (password) snprintf(pw, sizeof pw, "%s", password); else random_password(pw);
        json_t *profile = json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", d->kind, "qualifications",
            "ISO 27001 信息安全管理体系认证；可信云服务认证；增值电信业务经营许可证", "contact_name",
            "陈经理", "phone", i == 0 ? "13905379001" : i == 1 ? "13905379002" : "13905379003",
            "email", i == 0 ? "service@qlcloud.example.cn" : i == 1 ? "biz@jnindustry.example.cn" : "sales@kmsoft.example.cn",
            "address", "济宁市高新区崇文大道 1 号", "bank_name", "中国工商银行济宁分行",
            "bank_account", i == 0 ? "1608001109200012345" : i == 1 ? "1608001109200023456" : "1608001109200034567");
        rc = make_party(db, "provider", d->username, pw, uscc, d->name, NULL, profile,
                        provider_ids[i], p);
        json_decref(profile);
        if (rc == YQ_OK) rc = advance(db, d->username, "city_it", PARTY_PROVIDER, provider_ids[i], "approved", p);
        if (rc != YQ_OK) return rc;
    }
    struct actor city;
    if ((rc = actor_of(db, "city_it", &city, p)) != YQ_OK) return rc;
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        const struct demo_item *it = &items[i];
        struct actor owner;
        if ((rc = actor_of(db, providers[it->provider].username, &owner, p)) != YQ_OK) return rc;
        json_t *fields = json_pack("{s:i, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s}",
                                   "reference_service_id", it->service_id, "name", it->name,
                                   "description", "面向济宁市中小企业上云的标准化服务，含 7×24 小时技术支持。",
                                   "specification", it->spec, "unit", it->unit, "list_price_fen",
                                   (json_int_t)it->list_fen, "discount_price_fen",
                                   (json_int_t)it->discount_fen, "valid_from", "2018-01-01",
                                   "valid_until", "2030-12-31");
        json_t *item = catalog_submit(db, &owner, fields, p);
        json_decref(fields);
        if (!item) return p->status;
        json_t *pub = catalog_review(db, &city, json_string_value(json_object_get(item, "id")),
                                     true, NULL, p);
        json_decref(item);
        if (!pub) return p->status;
        json_decref(pub);
    }
    /* Enterprises in every state. */
    for (size_t i = 0; i < sizeof enterprises / sizeof enterprises[0]; i++) {
        const struct demo_enterprise *d = &enterprises[i];
        char username[32], uscc[USCC_LEN + 1], id[32], email[64];
        if (i == 0) snprintf(username, sizeof username, "enterprise");
        else snprintf(username, sizeof username, "qiye%02zu", i + 1);
        make_uscc(d->division, (int)(100 + i), uscc);
        snprintf(email, sizeof email, "contact%02zu@qiye.example.cn", i + 1);
        if (password) snprintf(pw, sizeof pw, "%s", password); else random_password(pw);
        json_t *profile = json_pack(
            "{s:s, s:s, s:s, s:s, s:b, s:s, s:i, s:[s], s:[s]}", "legal_rep", d->legal_rep,
            "address", "济宁市示范路 88 号", "phone", d->phone, "email", email,
            "independent_legal_person", 1, "industry", d->industry, "employees", d->employees,
            "priority_flags", d->flag, "key_industry_tags", "高端装备");
        if (i == 0)
            json_object_set_new(profile, "certificate",
                                json_pack("{s:s, s:s, s:s, s:s}", "no", "AIITRE-00218IIIMS0123401",
                                          "issuer", "中国信息化推进联盟认证中心", "valid_from",
                                          "2018-03-01", "valid_until", "2021-02-28"));
        rc = make_party(db, "enterprise", username, pw, uscc, d->name, d->county, profile, id, p);
        json_decref(profile);
        if (rc != YQ_OK) return rc;
        /* Reviewers: the demo county official for 任城区, else an operator
         * acting as that county's official. */
        char reviewer[32];
        snprintf(reviewer, sizeof reviewer, "%s",
                 strcmp(d->county, DEMO_COUNTY) == 0 ? "county_it" : "");
        if (!reviewer[0] && strcmp(d->state, "draft") != 0 && strcmp(d->state, "submitted") != 0) {
            /* One official per other county, made as needed. */
            snprintf(reviewer, sizeof reviewer, "county_it_%s", d->county);
            struct user tmp;
            if (users_get_by_username(db, reviewer, &tmp) != YQ_OK) {
                struct actor op;
                actor_cli(&op);
                char name[64];
                snprintf(name, sizeof name, "%s 经信局审核员", d->county);
                if (password) snprintf(pw, sizeof pw, "%s", password); else random_password(pw);
                struct account_input in = {reviewer, pw, "county_it", name, d->county};
                if ((rc = accounts_create(db, &op, &in, false, &tmp, p)) != YQ_OK) return rc;
            }
        }
        if ((rc = advance(db, username, reviewer, PARTY_ENTERPRISE, id, d->state, p)) != YQ_OK)
            return rc;
    }
    return YQ_OK;
}
