/* Sign-up, profile, submission and review of enterprises and providers.
 * Each use case is one writing transaction with its audit entry. */
#include "service/parties.h"
#include "service/parties_internal.h"
#include "core/clock.h"
#include "core/registration.h"
#include "core/status.h"
#include "core/uscc.h"
#include "service/accounts.h"
#include "service/guard.h"
#include "service/party_fields.h"
#include "service/tx.h"
#include "store/audit.h"
#include "store/id.h"
#include "store/parties.h"
#include "store/programs.h"
#include "store/rows.h"

#include <stdio.h>
#include <string.h>

const char *parties_table(enum party_kind k)
{
    return k == PARTY_ENTERPRISE ? "enterprises" : "providers";
}

static const char *entity_of(enum party_kind k)
{
    return k == PARTY_ENTERPRISE ? "enterprise" : "provider";
}

static const char *noun_of(enum party_kind k)
{
    return k == PARTY_ENTERPRISE ? "企业" : "云服务商";
}

static int not_found(struct problem *p, enum party_kind k)
{
    return problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "%s不存在", noun_of(k));
}

int parties_city_prefix(struct db *db, char out[8])
{
    int rc = program_first_city_code(db, out, 8);
    if (rc == YQ_ENOTFOUND) {
        snprintf(out, 8, "3708"); /* 济宁 until a program names its city */
        return YQ_OK;
    }
    return rc;
}

/* Whether the actor may see the record. */
static bool in_scope(const struct actor *a, enum party_kind k, json_t *r)
{
    if (a->role & (ROLE_CITY_IT | ROLE_CITY_FINANCE | ROLE_AUDITOR | ROLE_ADMIN)) return true;
    if (strcmp(rows_str(r, "user_id"), a->user.id) == 0) return true;
    if (k == PARTY_ENTERPRISE && (a->role & ROLE_COUNTY_SCOPED))
        return actor_in_county(a, rows_str(r, "county_code"));
    /* Providers are city-wide: county officials see them when reviewing
     * redemptions and contracts. */
    if (k == PARTY_PROVIDER && (a->role & ROLE_COUNTY_SCOPED)) return true;
    return false;
}

/* Loads a record in scope; 404 otherwise. */
static int load(struct db *db, const struct actor *a, enum party_kind k, const char *id, json_t **r,
                struct problem *p)
{
    int rc = parties_get(db, parties_table(k), id, r);
    if (rc == YQ_ENOTFOUND || (rc == YQ_OK && !in_scope(a, k, *r))) {
        json_decref(*r);
        *r = NULL;
        return not_found(p, k);
    }
    if (rc != YQ_OK) return problem_db_error(p);
    return YQ_OK;
}

/* The reviewer's warnings on an enterprise; NULL on a database error. */
static json_t *warnings_of(struct db *db, json_t *r)
{
    char prefix[8];
    if (parties_city_prefix(db, prefix) != YQ_OK) return NULL;
    json_t *shared = enterprises_shared_contacts(db, r);
    if (!shared) return NULL;
    json_t *w = json_array();
    if (!uscc_in_division(rows_str(r, "uscc"), prefix))
        json_array_append_new(
            w, json_pack("{s:s, s:s}", "code", "division_outside_city", "message",
                         "统一社会信用代码的登记管理机关行政区划码不在本市，请核实注册地"));
    size_t i;
    json_t *s;
    json_array_foreach(shared, i, s)
    {
        const char *field = rows_str(s, "field");
        const char *what = strcmp(field, "phone") == 0   ? "手机号码"
                           : strcmp(field, "email") == 0 ? "电子邮箱"
                                                         : "法定代表人";
        char msg[512];
        snprintf(msg, sizeof msg, "%s与“%s”（%s）相同", what, rows_str(s, "name"),
                 rows_str(s, "uscc"));
        char code[32];
        snprintf(code, sizeof code, "shared_%s", field);
        json_array_append_new(w, json_pack("{s:s, s:s, s:s}", "code", code, "message", msg,
                                           "other_id", rows_str(s, "id")));
    }
    json_decref(shared);
    return w;
}

/* The record for the API; NULL with p filled on a database error. */
static json_t *render(struct db *db, const struct actor *a, enum party_kind k, json_t *r,
                      struct problem *p)
{
    json_t *o = party_fields_render(k, r);
    if (k == PARTY_ENTERPRISE && role_is_official(a->role)) {
        json_t *w = warnings_of(db, r);
        if (!w) {
            json_decref(o);
            problem_db_error(p);
            return NULL;
        }
        json_object_set_new(o, "warnings", w);
    }
    if (parties_licence_render(db, a, k, r, o) != YQ_OK) {
        json_decref(o);
        problem_db_error(p);
        return NULL;
    }
    return o;
}

json_t *parties_read(struct db *db, const struct actor *a, enum party_kind k, const char *id,
                     struct problem *p)
{
    json_t *r;
    if (load(db, a, k, id, &r, p) != YQ_OK) return NULL;
    json_t *o = render(db, a, k, r, p);
    json_decref(r);
    return o;
}

json_t *parties_mine(struct db *db, const struct actor *a, enum party_kind k, struct problem *p)
{
    json_t *r;
    int rc = parties_get_by_user(db, parties_table(k), a->user.id, &r);
    if (rc == YQ_ENOTFOUND) {
        not_found(p, k);
        return NULL;
    }
    if (rc != YQ_OK) {
        problem_db_error(p);
        return NULL;
    }
    json_t *o = render(db, a, k, r, p);
    json_decref(r);
    return o;
}

/* A write that failed: the record moved on meanwhile (409), or the
 * database. */
static int write_failed(struct problem *p, int rc)
{
    if (rc == YQ_ECONFLICT)
        return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "资料状态已变化，请刷新后重试");
    return problem_db_error(p);
}

/* Refuses a USCC on the negative list (403). */
int parties_check_not_listed(struct db *db, const char *uscc, struct problem *p)
{
    json_t *listed = NULL;
    int rc = negative_list_find_active(db, uscc, &listed);
    json_decref(listed);
    if (rc == YQ_OK)
        return problem_set(p, YQ_EFORBIDDEN, "negative_list", "uscc",
                           "该统一社会信用代码在信用负面清单中，不能注册");
    return rc == YQ_ENOTFOUND ? YQ_OK : problem_db_error(p);
}

/* Refuses a USCC another party holds (409, saying `msg`); `except_id` is
 * the party being edited (NULL at sign-up). */
int parties_check_not_held(struct db *db, const char *uscc, const char *except_id, const char *msg,
                           struct problem *p)
{
    const char *holder;
    if (parties_uscc_holder(db, uscc, except_id, &holder) != YQ_OK) return problem_db_error(p);
    if (holder) return problem_set(p, YQ_ECONFLICT, "uscc_registered", "uscc", "%s", msg);
    return YQ_OK;
}

int parties_audit_change(struct db *db, const struct actor *a, enum party_kind k, const char *id,
                         const char *action, json_t *before, json_t *after)
{
    struct audit_actor who = actor_audit(a);
    json_t *b = before ? party_fields_render(k, before) : NULL;
    json_t *f = after ? party_fields_render(k, after) : NULL;
    int rc = audit_append(db, &who, entity_of(k), id, action, b, f);
    json_decref(b);
    json_decref(f);
    return rc;
}

/* Re-reads, renders and commits; NULL with p on failure. */
struct party_change {
    const struct actor *a;
    enum party_kind k;
    const char *id, *reason;
    json_t *columns;
    bool approve;
};

static int edit_run(struct db *db, void *ctx, struct problem *p)
{
    struct party_change *x = ctx;
    const struct actor *a = x->a;
    json_t *before = NULL, *after = NULL, *columns = x->columns;
    int rc = load(db, a, x->k, x->id, &before, p);
    if (rc != YQ_OK) return rc;
    if (strcmp(rows_str(before, "user_id"), a->user.id) != 0) {
        rc = not_found(p, x->k);
        goto out;
    }
    enum reg_state s = reg_parse(rows_str(before, "status"));
    if (!reg_editable(s)) {
        rc = problem_set(p, YQ_ECONFLICT, "not_editable", NULL, "资料%s，不能修改",
                         reg_awaiting_review(s) ? "正在审核中" : "已审核通过或已取消资格");
        goto out;
    }
    json_t *tags = json_object_get(columns, "key_industry_tags");
    if (tags && (rc = party_fields_check_tags(db, tags, p)) != YQ_OK) goto out;
    const char *county = json_string_value(json_object_get(columns, "county_code"));
    rc = county ? counties_exists(db, county) : YQ_OK;
    if (rc == YQ_ENOTFOUND) {
        rc =
            problem_set(p, YQ_EINVAL, "invalid_field", "county_code", "区县代码不存在：%s", county);
        goto out;
    }
    if (rc != YQ_OK) goto out;
    const char *uscc = json_string_value(json_object_get(columns, "uscc"));
    if (uscc &&
        ((rc = parties_check_not_held(db, uscc, x->id, "该统一社会信用代码已注册", p)) != YQ_OK ||
         (rc = parties_check_not_listed(db, uscc, p)) != YQ_OK))
        goto out;
    rc = parties_update_profile(db, parties_table(x->k), x->id, rows_str(before, "status"), columns,
                                clock_now_ms());
    if (rc == YQ_OK) rc = parties_get(db, parties_table(x->k), x->id, &after);
    if (rc == YQ_OK) rc = parties_audit_change(db, a, x->k, x->id, "edit", before, after);
    if (rc != YQ_OK) rc = write_failed(p, rc);
out:
    json_decref(before);
    json_decref(after);
    return rc;
}

json_t *parties_edit(struct db *db, const struct actor *a, enum party_kind k, const char *id,
                     json_t *changes, struct problem *p)
{
    json_t *columns = json_object();
    if (party_fields_check(k, changes, columns, p) != YQ_OK) {
        json_decref(columns);
        return NULL;
    }
    if (json_object_size(columns) == 0) {
        json_decref(columns);
        problem_set(p, YQ_EINVAL, "empty_change", NULL, "没有要修改的字段");
        return NULL;
    }
    struct party_change x = {.a = a, .k = k, .id = id, .columns = columns};
    int rc = service_tx(db, edit_run, &x, p);
    json_decref(columns);
    return rc == YQ_OK ? parties_read(db, a, k, id, p) : NULL;
}

/* Moves a record along the state machine inside an open transaction. */
static int transition(struct db *db, const struct actor *a, enum party_kind k, json_t *before,
                      enum reg_action action, const char *reason, const char *audit_action,
                      struct problem *p)
{
    const char *id = rows_str(before, "id");
    enum reg_state from = reg_parse(rows_str(before, "status"));
    enum reg_state to =
        k == PARTY_PROVIDER ? reg_next_provider(from, action) : reg_next(from, action);
    if (to == REG_NONE)
        return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "当前状态（%s）不能执行此操作",
                           reg_name_zh(from));
    struct party_transition t = {
        .from = reg_code(from),
        .to = reg_code(to),
        .stamp = PARTY_STAMP_NONE,
        .now = clock_now_ms(),
    };
    if (action == REG_SUBMIT || action == REG_REINSTATE) {
        t.stamp = PARTY_STAMP_SUBMITTED;
    } else if (action == REG_APPROVE || action == REG_REJECT) {
        t.stamp = PARTY_STAMP_REVIEWED;
        t.reviewed_by = a->user.username;
        t.reject_reason = reason;
    }
    json_t *after = NULL;
    int rc = parties_transition(db, parties_table(k), id, &t);
    if (rc == YQ_OK) rc = parties_get(db, parties_table(k), id, &after);
    if (rc == YQ_OK) rc = parties_audit_change(db, a, k, id, audit_action, before, after);
    json_decref(after);
    return rc == YQ_OK ? YQ_OK : write_failed(p, rc);
}

static int submit_run(struct db *db, void *ctx, struct problem *p)
{
    struct party_change *x = ctx;
    json_t *before = NULL;
    int rc = load(db, x->a, x->k, x->id, &before, p);
    if (rc != YQ_OK) return rc;
    if (strcmp(rows_str(before, "user_id"), x->a->user.id) != 0)
        rc = not_found(p, x->k);
    else if (reg_next(reg_parse(rows_str(before, "status")), REG_SUBMIT) != REG_NONE &&
             (rc = party_fields_complete(x->k, before, p)) != YQ_OK)
        ;
    else
        rc = transition(db, x->a, x->k, before, REG_SUBMIT, NULL, "submit", p);
    json_decref(before);
    return rc;
}

json_t *parties_submit(struct db *db, const struct actor *a, enum party_kind k, const char *id,
                       struct problem *p)
{
    struct party_change x = {.a = a, .k = k, .id = id};
    if (service_tx(db, submit_run, &x, p) != YQ_OK) return NULL;
    return parties_read(db, a, k, id, p);
}

/* May this actor review this record? County officials review their
 * county's enterprises; the city reviews providers. */
static bool may_review(const struct actor *a, enum party_kind k, json_t *r)
{
    if (k == PARTY_ENTERPRISE)
        return (a->role & ROLE_COUNTY_IT) &&
               strcmp(rows_str(r, "county_code"), a->user.county_code) == 0;
    return (a->role & ROLE_CITY_IT) != 0;
}

static int review_run(struct db *db, void *ctx, struct problem *p)
{
    struct party_change *x = ctx;
    json_t *before = NULL;
    int rc = load(db, x->a, x->k, x->id, &before, p);
    if (rc == YQ_OK && !may_review(x->a, x->k, before)) rc = not_found(p, x->k);
    if (rc == YQ_OK && x->approve) {
        /* A party on the negative list cannot be approved. */
        json_t *listed = NULL;
        rc = negative_list_find_active(db, rows_str(before, "uscc"), &listed);
        json_decref(listed);
        if (rc == YQ_OK)
            rc = problem_set(p, YQ_ECONFLICT, "negative_list", NULL,
                             "该%s在信用负面清单中，不能通过审核", noun_of(x->k));
        else if (rc == YQ_ENOTFOUND)
            rc = YQ_OK;
    }
    if (rc == YQ_OK)
        rc = transition(db, x->a, x->k, before, x->approve ? REG_APPROVE : REG_REJECT,
                        x->approve ? NULL : x->reason, x->approve ? "approve" : "reject", p);
    json_decref(before);
    return rc;
}

static int review_one(struct db *db, const struct actor *a, enum party_kind k, const char *id,
                      bool approve, const char *reason, struct problem *p)
{
    if (!approve && (!reason || !reason[0]))
        return problem_set(p, YQ_EINVAL, "missing_field", "reason", "退回时请填写原因");
    if (reason && strlen(reason) > 1000)
        return problem_set(p, YQ_EINVAL, "invalid_field", "reason", "原因不能超过 1000 字节");
    struct party_change x = {.a = a, .k = k, .id = id, .reason = reason, .approve = approve};
    return service_tx(db, review_run, &x, p);
}

json_t *parties_review(struct db *db, const struct actor *a, enum party_kind k, const char *id,
                       bool approve, const char *reason, struct problem *p)
{
    if (review_one(db, a, k, id, approve, reason, p) != YQ_OK) return NULL;
    return parties_read(db, a, k, id, p);
}

json_t *parties_batch_approve(struct db *db, const struct actor *a, json_t *ids, struct problem *p)
{
    if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > 500) {
        problem_set(p, YQ_EINVAL, "invalid_field", "ids", "ids 须为 1 至 500 个企业编号的数组");
        return NULL;
    }
    json_t *approved = json_array(), *failed = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        struct problem one;
        problem_clear(&one);
        const char *id = json_string_value(v);
        if (!id) {
            json_array_append_new(failed, json_pack("{s:o, s:s, s:s}", "id", json_incref(v), "code",
                                                    "wrong_type", "message", "编号须为字符串"));
            continue;
        }
        if (review_one(db, a, PARTY_ENTERPRISE, id, true, NULL, &one) == YQ_OK)
            json_array_append_new(approved, json_string(id));
        else
            json_array_append_new(failed, json_pack("{s:s, s:s, s:s}", "id", id, "code", one.code,
                                                    "message", one.message));
    }
    return json_pack("{s:o, s:o}", "approved", approved, "failed", failed);
}

json_t *parties_list(struct db *db, const struct actor *a, enum party_kind k,
                     const struct party_query *q, struct problem *p)
{
    json_t *r;
    if (k == PARTY_ENTERPRISE) {
        char prefix[8];
        if (parties_city_prefix(db, prefix) != YQ_OK) {
            problem_db_error(p);
            return NULL;
        }
        struct enterprise_filter f = {
            .status = q->status,
            .industry = q->industry,
            .tag = q->tag,
            .flag = q->flag,
            .q = q->q,
            .county_code = q->county,
            .from_ms = q->from_ms,
            .to_ms = q->to_ms,
            .warnings = q->warnings,
            .city_prefix = prefix,
            .offset = q->offset,
            .limit = q->limit,
        };
        const char *one;
        if (a->role & ROLE_COUNTY_SCOPED)
            f.ncounties = actor_county_list(a, &one, &f.counties);
        else if (a->role == ROLE_ENTERPRISE)
            f.user_id = a->user.id;
        else if (!(a->role & ROLE_CITY_WIDE)) {
            problem_set(p, YQ_EFORBIDDEN, "forbidden", NULL, "无权查看企业列表");
            return NULL;
        }
        r = enterprises_list(db, &f);
    } else {
        struct provider_filter f = {.status = q->status,
                                    .kind = q->kind,
                                    .q = q->q,
                                    .from_ms = q->from_ms,
                                    .to_ms = q->to_ms,
                                    .offset = q->offset,
                                    .limit = q->limit};
        if (a->role == ROLE_PROVIDER) f.user_id = a->user.id;
        r = providers_list(db, &f);
    }
    if (!r) {
        problem_db_error(p);
        return NULL;
    }
    /* Tags and flags are stored as JSON text; give them back as arrays. */
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r, "items"), i, item)
    {
        static const char *const arrays[] = {"key_industry_tags", "priority_flags"};
        for (int j = 0; j < 2; j++) {
            const char *s = json_string_value(json_object_get(item, arrays[j]));
            if (s) {
                json_t *arr = json_loads(s, 0, NULL);
                json_object_set_new(item, arrays[j], arr ? arr : json_array());
            }
        }
        const char *status = json_string_value(json_object_get(item, "status"));
        json_object_set_new(item, "status_name", json_string(reg_name_zh(reg_parse(status))));
        if (k == PARTY_ENTERPRISE && role_is_official(a->role)) {
            json_t *full = NULL, *w = NULL;
            int rc = parties_get(db, "enterprises", rows_str(item, "id"), &full);
            if (rc == YQ_OK && !(w = warnings_of(db, full))) rc = YQ_ERR;
            json_decref(full);
            if (rc != YQ_OK && rc != YQ_ENOTFOUND) {
                json_decref(r);
                problem_db_error(p);
                return NULL;
            }
            if (w)
                json_object_set_new(item, "warning_count",
                                    json_integer((json_int_t)json_array_size(w)));
            json_decref(w);
        }
        rows_instants(item, "submitted_at", "updated_at", NULL);
    }
    return r;
}

int parties_apply_negative_list(struct db *db, const struct actor *a, const char *uscc, bool listed,
                                struct problem *p)
{
    for (int k = 0; k < 2; k++) {
        enum party_kind kind = k == 0 ? PARTY_ENTERPRISE : PARTY_PROVIDER;
        json_t *before = NULL;
        int rc = parties_get_by_uscc(db, parties_table(kind), uscc, &before);
        if (rc == YQ_ENOTFOUND) continue;
        if (rc != YQ_OK) return problem_db_error(p);
        enum reg_action action = listed ? REG_DISQUALIFY : REG_REINSTATE;
        if (reg_next(reg_parse(rows_str(before, "status")), action) != REG_NONE)
            rc = transition(db, a, kind, before, action, NULL, listed ? "disqualify" : "reinstate",
                            p);
        json_decref(before);
        if (rc != YQ_OK) return rc;
    }
    return YQ_OK;
}

/* Self-chosen usernames that could pass for the platform or its staff.
 * They answer exactly like a taken one. */
json_t *parties_me(struct db *db, const struct user *u)
{
    enum role r = role_parse(u->role);
    json_t *party = parties_summary(db, u);
    json_t *counties = r == ROLE_EVALUATOR ? accounts_counties(db, u) : NULL;
    if (!party || (r == ROLE_EVALUATOR && !counties)) {
        json_decref(party);
        json_decref(counties);
        return NULL;
    }
    json_t *o = user_to_json(u);
    json_object_set_new(o, "role_name", json_string(role_name_zh(r)));
    json_object_set_new(o, "party", party);
    if (counties) json_object_set_new(o, "counties", counties);
    return o;
}

json_t *parties_summary(struct db *db, const struct user *u)
{
    enum role r = role_parse(u->role);
    if (r != ROLE_ENTERPRISE && r != ROLE_PROVIDER) return json_null();
    enum party_kind k = r == ROLE_ENTERPRISE ? PARTY_ENTERPRISE : PARTY_PROVIDER;
    json_t *row = NULL;
    int rc = parties_get_by_user(db, parties_table(k), u->id, &row);
    if (rc == YQ_ENOTFOUND) return json_null();
    if (rc != YQ_OK) return NULL;
    const char *status = rows_str(row, "status");
    json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s}", "kind", entity_of(k), "id",
                          rows_str(row, "id"), "name", rows_str(row, "name"), "uscc",
                          rows_str(row, "uscc"), "status", status, "status_name",
                          reg_name_zh(reg_parse(status)));
    json_decref(row);
    return o;
}

json_t *parties_lookup_enterprise(struct db *db, const char *uscc_in, struct problem *p)
{
    char uscc[USCC_LEN + 1];
    if (uscc_validate("uscc", uscc_in, uscc, p) != YQ_OK) return NULL;
    json_t *row = NULL;
    int rc = enterprises_get_approved_by_uscc(db, uscc, &row);
    if (rc == YQ_ENOTFOUND)
        problem_set(p, YQ_ENOTFOUND, "not_found", "uscc",
                    "没有该统一社会信用代码的已审核企业（企业须先注册并通过区县审核）");
    else if (rc != YQ_OK)
        problem_db_error(p);
    return row;
}
