/* Reference data and demo accounts. */
#include "service/demo.h"
#include "core/csv.h"
#include "core/status.h"
#include "embedded.h"
#include "core/clock.h"
#include "service/accounts.h"
#include "service/programs.h"
#include "store/targets.h"
#include "store/audit.h"
#include "store/catalog.h"
#include "store/users.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int load_counties(struct db *db, const struct actor *a, struct problem *p);

static int parse_int(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end) return YQ_EINVAL;
    *out = v;
    return YQ_OK;
}

/* 附件2: the reference catalog, ids numbered in file order. Idempotent. */
static int load_catalog(struct db *db, struct problem *p)
{
    struct csv_reader r;
    struct csv_row row;
    csv_init(&r, yq_data_catalog_csv, yq_data_catalog_csv_len);
    int got, rc = YQ_OK;
    int64_t id = 0;
    while ((got = csv_next(&r, &row)) == 1) {
        if (id++ == 0) continue; /* header */
        if (row.n != 3) {
            rc = problem_set(p, YQ_EINVAL, "bad_data", NULL, "服务目录第 %ld 行格式错误", row.line);
            break;
        }
        int exists = reference_service_exists(db, id - 1);
        if (exists == YQ_OK) continue;
        if (exists != YQ_ENOTFOUND ||
            reference_service_insert(db, id - 1, row.f[0], row.f[1], row.f[2]) != YQ_OK) {
            rc = problem_set(p, YQ_ERR, "internal", NULL, "数据库错误：%s", db_error(db));
            break;
        }
    }
    if (got < 0) rc = problem_set(p, YQ_EINVAL, "bad_data", NULL, "服务目录无法解析");
    csv_cleanup(&r);
    return rc;
}

int demo_load_reference(struct db *db, const struct actor *a, struct problem *p)
{
    int rc = load_counties(db, a, p);
    if (rc != YQ_OK) return rc;
    if ((rc = db_begin(db, true)) != YQ_OK)
        return problem_set(p, rc, "internal", NULL, "数据库错误：%s", db_error(db));
    if ((rc = load_catalog(db, p)) != YQ_OK) {
        db_rollback(db);
        return rc;
    }
    if ((rc = db_commit(db)) != YQ_OK)
        return problem_set(p, rc, "internal", NULL, "数据库错误：%s", db_error(db));
    return programs_create_from_json(db, a, yq_data_program_jining_json, 0, p);
}

int demo_load_demo_program(struct db *db, const struct actor *a, struct problem *p)
{
    int y;
    unsigned m, d;
    clock_civil_from_days(clock_cst_day(clock_now_ms()), &y, &m, &d);
    return programs_create_from_json(db, a, yq_data_program_jining_json, y, p);
}

static int load_counties(struct db *db, const struct actor *a, struct problem *p)
{
    struct csv_reader r;
    struct csv_row row;
    csv_init(&r, yq_data_counties_csv, yq_data_counties_csv_len);
    int rc = db_begin(db, true);
    if (rc != YQ_OK) {
        csv_cleanup(&r);
        return problem_set(p, rc, "internal", NULL, "数据库错误：%s", db_error(db));
    }
    int got, n = 0;
    bool header = true;
    while ((got = csv_next(&r, &row)) == 1) {
        if (header) {
            header = false;
            continue;
        }
        int64_t target;
        if (row.n != 5 || parse_int(row.f[3], &target) != YQ_OK) {
            rc = problem_set(p, YQ_EINVAL, "bad_data", NULL, "区县数据第 %ld 行格式错误",
                             row.line);
            goto fail;
        }
        if ((rc = counties_upsert(db, row.f[0], row.f[1], row.f[2], target,
                                  strcmp(row.f[4], "yes") == 0)) != YQ_OK) {
            problem_set(p, rc, "internal", NULL, "数据库错误：%s", db_error(db));
            goto fail;
        }
        n++;
    }
    if (got < 0) {
        rc = problem_set(p, YQ_EINVAL, "bad_data", NULL, "区县数据无法解析");
        goto fail;
    }
    /* 附件3's targets are each county's first 2018 target version. */
    if ((rc = targets_seed_2018(db, clock_now_ms())) != YQ_OK) {
        problem_set(p, rc, "internal", NULL, "数据库错误：%s", db_error(db));
        goto fail;
    }
    struct audit_actor who = actor_audit(a);
    json_t *after = json_pack("{s:i}", "counties", n);
    rc = audit_append(db, &who, "county", "*", "load_reference", NULL, after);
    json_decref(after);
    if (rc != YQ_OK) {
        problem_set(p, rc, "internal", NULL, "数据库错误：%s", db_error(db));
        goto fail;
    }
    csv_cleanup(&r);
    if ((rc = db_commit(db)) != YQ_OK)
        return problem_set(p, rc, "internal", NULL, "数据库错误：%s", db_error(db));
    return YQ_OK;
fail:
    csv_cleanup(&r);
    db_rollback(db);
    return rc;
}

static void random_password(char out[64])
{
    static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 14; i++)
        out[i] = alphabet[randombytes_uniform((uint32_t)(sizeof alphabet - 1))];
    out[14] = '\0';
}

static const char *demo_display_name(enum role r)
{
    switch (r) {
    case ROLE_ENTERPRISE: return "济宁示范制造有限公司";
    case ROLE_PROVIDER: return "齐鲁云计算服务有限公司";
    case ROLE_COUNTY_IT: return "任城区经信局 张科长";
    case ROLE_COUNTY_FINANCE: return "任城区财政局 李科长";
    case ROLE_EVALUATOR: return "山东信息化评估中心 王工";
    case ROLE_CITY_IT: return "济宁市经信委 赵处长";
    case ROLE_CITY_FINANCE: return "济宁市财政局 孙处长";
    case ROLE_AUDITOR: return "济宁市审计局 周审计师";
    case ROLE_ADMIN: return "系统管理员";
    default: return "";
    }
}

int demo_create_accounts(struct db *db, const struct actor *a, const char *password,
                         struct demo_login out[ROLE_COUNT], struct problem *p)
{
    for (int i = 0; i < ROLE_COUNT; i++) {
        enum role r = role_all[i];
        struct demo_login *l = &out[i];
        memset(l, 0, sizeof *l);
        snprintf(l->role, sizeof l->role, "%s", role_code(r));
        snprintf(l->username, sizeof l->username, "%s", role_code(r));
        struct user u;
        int rc = users_get_by_username(db, l->username, &u);
        if (rc == YQ_OK) continue;
        if (rc != YQ_ENOTFOUND)
            return problem_set(p, rc, "internal", NULL, "数据库错误：%s", db_error(db));
        if (password)
            snprintf(l->password, sizeof l->password, "%s", password);
        else
            random_password(l->password);
        struct account_input in = {
            .username = l->username,
            .password = l->password,
            .role = l->role,
            .display_name = demo_display_name(r),
            .county_code = role_needs_county(r) || r == ROLE_ENTERPRISE ? DEMO_COUNTY : NULL,
        };
        rc = accounts_create(db, a, &in, true, &u, p);
        if (rc != YQ_OK) return rc;
        if (r == ROLE_EVALUATOR) {
            /* The demo evaluator works for 任城区 and 兖州区. */
            json_t *codes = json_pack("[s]", "370812"), *assigned = NULL;
            rc = accounts_set_counties(db, a, u.id, codes, &assigned, p);
            json_decref(codes);
            json_decref(assigned);
            if (rc != YQ_OK) return rc;
        }
    }
    return YQ_OK;
}
