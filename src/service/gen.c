/* `yunquan gen` (service/gen.h): the places, the officials' accounts, the
 * providers with their published catalog items and the enterprises; the
 * money half is in gen_money.c. */
#include "core/clock.h"
#include "core/status.h"
#include "core/uscc.h"
#include "service/catalog.h"
#include "service/demo.h"
#include "service/gen_internal.h"
#include "store/audit.h"
#include "store/demo.h"
#include "store/parties.h"
#include "store/rows.h"
#include "store/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS 86400000LL

static struct gen *clock_of;

static bool gen_clock(int64_t *now_ms, void *ctx)
{
    (void)ctx;
    *now_ms = clock_of->now;
    return true;
}

void gen_at(struct gen *g, int32_t day, int64_t ms)
{
    int64_t t = (int64_t)day * DAY_MS + 2 * 3600000LL + ms;
    g->now = t > g->now ? t : g->now + 1;
}

void gen_report(struct gen *g, const char *stage, int64_t done, int64_t total)
{
    if (g->o->progress) g->o->progress(g->o->progress_ctx, stage, done, total);
}

int gen_begin(struct gen *g, struct problem *p)
{
    g->in_batch = 0;
    int rc = db_begin(g->db, true);
    return rc == YQ_OK ? YQ_OK : problem_db_error(p);
}

int gen_end(struct gen *g, struct problem *p)
{
    int rc = db_commit(g->db);
    return rc == YQ_OK ? YQ_OK : problem_db_error(p);
}

int gen_tick(struct gen *g, struct problem *p)
{
    if (++g->in_batch < g->o->batch) return YQ_OK;
    int rc = gen_end(g, p);
    return rc == YQ_OK ? gen_begin(g, p) : rc;
}

static const struct audit_actor gen_who = {NULL, "gen", "operator", NULL, "gen"};

static int audit_made(struct gen *g, const char *entity, const char *id, const char *status)
{
    json_t *after = json_pack("{s:s}", "status", status);
    int rc = audit_append(g->db, &gen_who, entity, id, "generate", NULL, after);
    json_decref(after);
    return rc;
}

/* An account without a password (the hash matches none: `user passwd`
 * gives it one), as an actor. */
static int make_account(struct gen *g, const char *username, const char *role, const char *display,
                        const char *county, struct actor *a, struct problem *p)
{
    memset(a, 0, sizeof *a);
    struct user *u = &a->user;
    id_new(u->id);
    snprintf(u->username, sizeof u->username, "%s", username);
    snprintf(u->role, sizeof u->role, "%s", role);
    snprintf(u->display_name, sizeof u->display_name, "%s", display);
    snprintf(u->county_code, sizeof u->county_code, "%s", county ? county : "");
    snprintf(u->password_hash, sizeof u->password_hash, "!generated");
    u->created_at = u->updated_at = g->now;
    a->role = role_parse(role);
    a->client_addr = "gen";
    if (users_insert(g->db, u) != YQ_OK || audit_made(g, "user", u->id, "active") != YQ_OK)
        return problem_db_error(p);
    return YQ_OK;
}

static int load_places(struct gen *g, struct problem *p)
{
    struct actor op;
    memset(&op, 0, sizeof op);
    snprintf(op.user.username, sizeof op.user.username, "gen");
    snprintf(op.user.role, sizeof op.user.role, "operator");
    op.role = ROLE_ADMIN;
    op.client_addr = "gen";
    if (demo_load_reference(g->db, &op, p) != YQ_OK) return p->status;
    json_t *jining = counties_list(g->db);
    if (!jining) return problem_db_error(p);
    json_t *items = json_object_get(jining, "items");
    int cap = (int)json_array_size(items) + 16 * 16;
    g->counties = calloc((size_t)cap, sizeof *g->counties);
    if (!g->counties) abort();
    size_t i;
    json_t *c;
    json_array_foreach(items, i, c)
    {
        struct gen_county_rt *k = &g->counties[g->ncounties++];
        snprintf(k->code, sizeof k->code, "%s", rows_str(c, "code"));
        snprintf(k->name, sizeof k->name, "%s", rows_str(c, "name"));
        k->target = json_integer_value(json_object_get(c, "target_2018"));
        k->city = 0;
    }
    json_decref(jining);
    int rc = gen_begin(g, p);
    for (int city = 1; rc == YQ_OK && city < g->o->cities; city++)
        for (const struct gen_county *d = gen_cities[city].counties; d->code; d++) {
            struct gen_county_rt *k = &g->counties[g->ncounties++];
            snprintf(k->code, sizeof k->code, "%s", d->code);
            snprintf(k->name, sizeof k->name, "%s", d->name);
            k->city = city;
            k->target = prng_range(&g->rng, 20, 150);
            if (counties_upsert(g->db, d->code, d->name, d->kind, k->target, false) != YQ_OK) {
                rc = problem_db_error(p);
                break;
            }
        }
    if (rc != YQ_OK) {
        db_rollback(g->db);
        return rc;
    }
    return gen_end(g, p);
}

static int make_officials(struct gen *g, struct problem *p)
{
    int rc = gen_begin(g, p);
    if (rc == YQ_OK)
        rc = make_account(g, "gen_city_it", "city_it", "市经信委（生成）", NULL, &g->city_it, p);
    if (rc == YQ_OK)
        rc = make_account(g, "gen_city_finance", "city_finance", "市财政局（生成）", NULL,
                          &g->city_fin, p);
    for (int i = 0; rc == YQ_OK && i < g->ncounties; i++) {
        struct gen_county_rt *k = &g->counties[i];
        char user[64], name[128];
        snprintf(user, sizeof user, "gen_it_%s", k->code);
        snprintf(name, sizeof name, "%s经信局（生成）", k->name);
        rc = make_account(g, user, "county_it", name, k->code, &k->it, p);
        if (rc != YQ_OK) break;
        snprintf(user, sizeof user, "gen_fin_%s", k->code);
        snprintf(name, sizeof name, "%s财政局（生成）", k->name);
        rc = make_account(g, user, "county_finance", name, k->code, &k->fin, p);
    }
    /* One evaluator per city, assigned its counties. */
    for (int city = 0; rc == YQ_OK && city < g->o->cities; city++) {
        const char *codes[ACTOR_MAX_COUNTIES];
        int n = 0;
        for (int i = 0; i < g->ncounties && n < ACTOR_MAX_COUNTIES; i++)
            if (g->counties[i].city == city) codes[n++] = g->counties[i].code;
        char user[64], name[128];
        snprintf(user, sizeof user, "gen_eval_%s", gen_cities[city].code);
        snprintf(name, sizeof name, "%s第三方评价机构（生成）", gen_cities[city].name);
        struct actor *ev = &g->evaluators[city];
        rc = make_account(g, user, "evaluator", name, codes[0], ev, p);
        if (rc == YQ_OK && (user_counties_replace(g->db, ev->user.id, codes, n) != YQ_OK ||
                            actor_load_counties(g->db, ev) != YQ_OK))
            rc = problem_db_error(p);
    }
    if (rc != YQ_OK) {
        db_rollback(g->db);
        return rc;
    }
    return gen_end(g, p);
}

/* A valid USCC: "91", the division, an organisation code "MA" + 6 digits
 * of the party's serial with its check digit, and the check character. */
static void make_uscc(const char *division, int64_t serial, char out[USCC_LEN + 1])
{
    snprintf(out, USCC_LEN + 1, "91%.6sMA%06lld", division, (long long)(serial % 1000000));
    out[16] = uscc_org_check_char(out + 8);
    out[17] = '\0';
    out[17] = uscc_check_char(out);
    out[18] = '\0';
}

static const char *const brand[] = {"华信", "鼎盛", "瑞丰", "恒远", "金泰", "鲁润", "宏达", "新元",
                                    "广聚", "泰和", "同创", "海川", "博雅", "正阳", "益康", "聚源"};
static const char *const trade[] = {"精密机械", "食品",       "纺织", "化工新材料",
                                    "电子科技", "物流",       "建材", "医疗器械",
                                    "农业科技", "汽车零部件", "商贸", "软件"};
static const char *const trade_industry[] = {"C", "C", "C", "C", "C", "G",
                                             "C", "C", "A", "C", "F", "I"};
static const char *const surname[] = {"王", "李", "张", "刘", "陈", "杨",
                                      "赵", "黄", "周", "吴", "孙", "马"};
static const char *const given[] = {"建国", "立新", "海涛", "秀英", "志强",
                                    "丽娟", "国庆", "伟",   "敏",   "静"};
static const char *const flags[] = {"tech", "innovative", "high_growth", "specialized", "pilot"};

#define PICK(arr) arr[prng_below(&g->rng, sizeof arr / sizeof arr[0])]

/* Draft → (submitted → approved | rejected), or left as a draft. */
static int make_party(struct gen *g, const char *table, const char *uscc, const char *name,
                      const char *county, json_t *profile, const char *target,
                      const struct actor *reviewer, char id[ID_LEN + 1], char user_id[ID_LEN + 1],
                      const char *username, const char *role, struct problem *p)
{
    struct actor owner;
    int rc = make_account(g, username, role, name, county, &owner, p);
    if (rc != YQ_OK) return rc;
    snprintf(user_id, ID_LEN + 1, "%s", owner.user.id);
    id_new(id);
    struct party_draft d = {id, owner.user.id, uscc, name, county, g->now};
    if (parties_insert_draft(g->db, table, &d) != YQ_OK ||
        parties_update_profile(g->db, table, id, "draft", profile, g->now) != YQ_OK)
        return problem_db_error(p);
    if (strcmp(target, "draft") != 0) {
        struct party_transition sub = {"draft", "submitted", PARTY_STAMP_SUBMITTED,
                                       NULL,    NULL,        g->now};
        bool approve = strcmp(target, "approved") == 0;
        struct party_transition rev = {"submitted",
                                       approve ? "approved" : "rejected",
                                       PARTY_STAMP_REVIEWED,
                                       reviewer->user.username,
                                       approve ? NULL : "营业执照复印件不清晰，请重新上传后提交",
                                       g->now + 1};
        if (parties_transition(g->db, table, id, &sub) != YQ_OK ||
            (strcmp(target, "submitted") != 0 &&
             parties_transition(g->db, table, id, &rev) != YQ_OK))
            return problem_db_error(p);
    }
    if (audit_made(g, strcmp(table, "providers") == 0 ? "provider" : "enterprise", id, target) !=
        YQ_OK)
        return problem_db_error(p);
    return YQ_OK;
}

static const char *const provider_kinds[] = {"platform", "industry", "application"};
static const int service_ids[] = {1, 9, 38, 43, 60, 70};
static const char *const service_names[] = {"云服务器 标准型",    "对象存储 1TB",
                                            "工业大数据分析平台", "设备物联接入平台",
                                            "协同办公 OA 云服务", "云 ERP 进销存"};

static int make_providers(struct gen *g, int64_t per_city[], struct problem *p)
{
    int total = 0;
    for (int c = 0; c < g->o->cities; c++)
        total += (int)(per_city[c] / 400 > 2 ? per_city[c] / 400 : 2);
    g->providers = calloc((size_t)total, sizeof *g->providers);
    if (!g->providers) abort();
    int rc = gen_begin(g, p);
    for (int c = 0; rc == YQ_OK && c < g->o->cities; c++) {
        int n = (int)(per_city[c] / 400 > 2 ? per_city[c] / 400 : 2);
        for (int k = 0; rc == YQ_OK && k < n; k++) {
            struct gen_provider *pv = &g->providers[g->nproviders];
            pv->city = c;
            char uscc[USCC_LEN + 1], name[256], username[64], division[8];
            snprintf(division, sizeof division, "%s01", gen_cities[c].code);
            make_uscc(division, 900000 + g->nproviders, uscc);
            snprintf(name, sizeof name, "%s%s云计算服务有限公司", gen_cities[c].name, PICK(brand));
            snprintf(username, sizeof username, "gen_prov_%05d", g->nproviders);
            json_t *profile =
                json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", provider_kinds[k % 3],
                          "qualifications", "ISO 27001 信息安全管理体系认证；可信云服务认证",
                          "contact_name", "陈经理", "phone", "0537-2345678", "email",
                          "service@cloud.example.cn", "address", "山东省高新区科技路 1 号",
                          "bank_name", "中国工商银行", "bank_account", "1608001109200012345");
            rc = make_party(g, "providers", uscc, name, NULL, profile, "approved", &g->city_it,
                            pv->id, pv->user.id, username, "provider", p);
            json_decref(profile);
            if (rc != YQ_OK) break;
            if (users_get(g->db, pv->user.id, &pv->user) != YQ_OK) {
                rc = problem_db_error(p);
                break;
            }
            struct actor owner = {.user = pv->user, .role = ROLE_PROVIDER, .client_addr = "gen"};
            for (int i = 0; i < 2; i++) {
                int s = (int)prng_below(&g->rng, 6);
                pv->price[i] = prng_range(&g->rng, 30, 200) * 100000; /* ¥30,000–¥200,000 */
                json_t *fields =
                    json_pack("{s:i, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s}",
                              "reference_service_id", service_ids[s], "name", service_names[s],
                              "description", "面向中小企业上云的标准化服务，含 7×24 小时技术支持。",
                              "specification", "标准版，一年", "unit", "年", "list_price_fen",
                              (json_int_t)(pv->price[i] * 12 / 10), "discount_price_fen",
                              (json_int_t)pv->price[i], "valid_from", "2018-01-01", "valid_until",
                              "2030-12-31");
                json_t *item = catalog_submit(g->db, &owner, fields, p);
                json_decref(fields);
                if (!item) return p->status;
                snprintf(pv->items[i], ID_LEN + 1, "%s", rows_str(item, "id"));
                json_decref(item);
                json_t *pub = catalog_review(g->db, &g->city_it, pv->items[i], true, NULL, p);
                if (!pub) return p->status;
                json_decref(pub);
            }
            g->nproviders++;
        }
    }
    if (rc != YQ_OK) {
        db_rollback(g->db);
        return rc;
    }
    return gen_end(g, p);
}

/* Enterprises spread over the counties by their targets. */
static int make_enterprises(struct gen *g, const int *county_of, struct problem *p)
{
    g->ents = calloc((size_t)g->o->enterprises, sizeof *g->ents);
    if (!g->ents) abort();
    int rc = gen_begin(g, p);
    for (int64_t i = 0; rc == YQ_OK && i < g->o->enterprises; i++) {
        const struct gen_county_rt *k = &g->counties[county_of[i]];
        int64_t r = (int64_t)prng_below(&g->rng, 100);
        const char *target = r < 86   ? "approved"
                             : r < 92 ? "submitted"
                             : r < 96 ? "draft"
                                      : "rejected";
        char uscc[USCC_LEN + 1], name[256], username[64], email[64], phone[16], rep[32];
        make_uscc(k->code, i, uscc);
        size_t t = prng_below(&g->rng, sizeof trade / sizeof trade[0]);
        snprintf(name, sizeof name, "%s%s%s有限公司", k->name, PICK(brand), trade[t]);
        snprintf(username, sizeof username, "gen_qy_%07lld", (long long)i);
        snprintf(email, sizeof email, "qy%07lld@qiye.example.cn", (long long)i);
        snprintf(phone, sizeof phone, "139%08lld", (long long)prng_below(&g->rng, 100000000));
        snprintf(rep, sizeof rep, "%s%s", PICK(surname), PICK(given));
        char tags[64];
        snprintf(tags, sizeof tags, "[\"%s\"]", t == 4 || t == 11 ? "新一代信息技术" : "高端装备");
        char flag[40];
        snprintf(flag, sizeof flag, "[\"%s\"]", PICK(flags));
        json_t *profile = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:I}", "legal_rep",
                                    rep, "address", "山东省示范路 88 号", "phone", phone, "email",
                                    email, "independent_legal_person", 1, "industry",
                                    trade_industry[t], "key_industry_tags", tags, "priority_flags",
                                    flag, "employees", (json_int_t)prng_range(&g->rng, 10, 900));
        struct gen_enterprise *e = &g->ents[g->nents];
        rc = make_party(g, "enterprises", uscc, name, k->code, profile, target, &k->it, e->id,
                        e->user_id, username, "enterprise", p);
        json_decref(profile);
        if (rc != YQ_OK) break;
        g->stats->enterprises++;
        if (strcmp(target, "approved") == 0) {
            e->county = county_of[i];
            g->nents++;
        }
        if ((i + 1) % 1000 == 0 || i + 1 == g->o->enterprises)
            gen_report(g, "登记企业", i + 1, g->o->enterprises);
        gen_at(g, clock_cst_day(g->now), 0);
        rc = gen_tick(g, p);
    }
    if (rc != YQ_OK) {
        db_rollback(g->db);
        return rc;
    }
    g->stats->approved = g->nents;
    return gen_end(g, p);
}

static int build(struct gen *g, struct problem *p)
{
    int rc = load_places(g, p);
    if (rc == YQ_OK) rc = make_officials(g, p);
    if (rc != YQ_OK) return rc;
    g->stats->counties = g->ncounties;
    int64_t weight = 0, per_city[GEN_MAX_CITIES] = {0};
    for (int i = 0; i < g->ncounties; i++)
        weight += g->counties[i].target;
    int *county_of = malloc(sizeof *county_of * (size_t)g->o->enterprises);
    if (!county_of) abort();
    for (int64_t i = 0; i < g->o->enterprises; i++) {
        int64_t w = (int64_t)prng_below(&g->rng, (uint64_t)weight);
        int c = 0;
        while (w >= g->counties[c].target)
            w -= g->counties[c++].target;
        county_of[i] = c;
        per_city[g->counties[c].city]++;
    }
    rc = make_providers(g, per_city, p);
    g->stats->providers = g->nproviders;
    if (rc == YQ_OK) rc = make_enterprises(g, county_of, p);
    free(county_of);
    if (rc == YQ_OK) rc = gen_money(g, p);
    return rc;
}

int gen_run(struct db *db, const struct gen_options *o, struct gen_stats *stats, struct problem *p)
{
    memset(stats, 0, sizeof *stats);
    bool made;
    if (demo_any_contract_exists(db, &made) != YQ_OK) return problem_db_error(p);
    if (made)
        return problem_set(p, YQ_ECONFLICT, "not_empty", "db",
                           "数据库中已有合同数据，请为生成数据指定一个新的数据库文件");
    struct gen *g = calloc(1, sizeof *g);
    if (!g) abort();
    g->db = db;
    g->o = o;
    g->stats = stats;
    prng_seed(&g->rng, o->seed);
    struct prng ids;
    prng_seed(&ids, o->seed ^ 0x5951u);
    /* 2018-01-23, the first day of the program, plus a seeded minute. */
    g->now = (int64_t)clock_days_from_civil(2018, 1, 23) * DAY_MS + 3600000LL +
             (int64_t)prng_below(&g->rng, 3600) * 1000;
    clock_source_fn saved_fn;
    void *saved_ctx;
    clock_get_source(&saved_fn, &saved_ctx);
    clock_of = g;
    clock_set_source(gen_clock, NULL);
    id_set_prng(&ids);
    int rc = build(g, p);
    id_set_prng(NULL);
    clock_set_source(saved_fn, saved_ctx);
    free(g->counties);
    free(g->providers);
    free(g->ents);
    free(g);
    return rc;
}
