/* Public notices and objections (see notices.h). */
#include "service/notices.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/notice.h"
#include "core/status.h"
#include "core/validate.h"
#include "service/calendar.h"
#include "service/programs.h"
#include "service/redemptions.h"
#include "service/scope.h"
#include "service/tx.h"
#include "store/audit.h"
#include "store/business_no.h"
#include "store/notices.h"
#include "store/redemptions.h"
#include "store/rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REDEMPTIONS 200

static int not_found(struct problem *p)
{
    return problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "公示不存在");
}

static int audit(struct db *db, const struct actor *a, const char *entity, const char *id,
                 const char *action, json_t *before, json_t *after)
{
    struct audit_actor who = actor_audit(a);
    return audit_append(db, &who, entity, id, action, before, after);
}

/* The earliest instant a notice may close: 00:00 (China time) after its
 * close day. */
static void add_earliest(json_t *o)
{
    int32_t day;
    if (clock_parse_date(rows_str(o, "close_day"), &day) != YQ_OK) return;
    json_object_set_new(o, "earliest_close_at", json_integer(notice_earliest_close_ms(day)));
    rows_instants(o, "earliest_close_at", "created_at", "closed_at", "resolved_at", NULL);
    json_object_set_new(
        o, "status_name",
        json_string(strcmp(rows_str(o, "status"), "open") == 0 ? "公示中" : "公示期满"));
}

/* A notice the actor may see (county officials: their counties). */
static int load(struct db *db, const struct actor *a, const char *id, struct notice *n,
                struct problem *p)
{
    int rc = notice_get(db, id, n);
    if (rc == YQ_ENOTFOUND) return not_found(p);
    if (rc != YQ_OK) return problem_db_error(p);
    if ((a->role & ROLE_COUNTY_SCOPED) && !actor_in_county(a, n->county_code)) return not_found(p);
    return YQ_OK;
}

/* ---- Opening a notice ----------------------------------------------------- */

struct opening {
    const struct actor *actor;
    const char *county, *opens_on;
    json_t *ids;
    struct notice n; /* out */
};

static int open_run(struct db *db, void *ctx, struct problem *p)
{
    struct opening *x = ctx;
    const struct actor *a = x->actor;
    if (!actor_in_county(a, x->county))
        return problem_set(p, YQ_ENOTFOUND, "not_found", "county_code", "区县不存在");
    int32_t opened;
    if (!x->opens_on || clock_parse_date(x->opens_on, &opened) != YQ_OK)
        return problem_set(p, YQ_EINVAL, "invalid_field", "opens_on",
                           "公示开始日期须为 YYYY-MM-DD");
    if (opened < clock_cst_day(clock_now_ms()))
        return problem_set(p, YQ_EINVAL, "invalid_field", "opens_on", "公示开始日期不能早于今天");
    /* N is the largest of the applications' programs (≥ 5 each). */
    int days = 5;
    int64_t now = clock_now_ms();
    size_t i;
    json_t *v;
    struct redemption *rs = yq_calloc(json_array_size(x->ids), sizeof *rs);
    int rc = YQ_OK;
    json_array_foreach(x->ids, i, v)
    {
        char field[40];
        snprintf(field, sizeof field, "redemption_ids[%zu]", i);
        const char *rid = json_string_value(v);
        rc = rid ? redemption_get(db, rid, &rs[i]) : YQ_ENOTFOUND;
        if (rc == YQ_ENOTFOUND || (rc == YQ_OK && strcmp(rs[i].county_code, x->county) != 0)) {
            rc = problem_set(p, YQ_EINVAL, "invalid_field", field,
                             "%s：兑现申请不存在或不属于该区县", field);
            break;
        }
        if (rc != YQ_OK) break;
        if (rs[i].state != REDEMPTION_APPROVED) {
            rc = problem_set(p, YQ_ECONFLICT, "invalid_state", field,
                             "%s：兑现申请当前状态（%s）不能公示，须为已批准", field,
                             redemption_state_label_zh(rs[i].state));
            break;
        }
        struct program_params params;
        int version;
        if ((rc = programs_load_params(db, rs[i].program_id, &params, &version, p)) != YQ_OK) break;
        if (params.notice_working_days > days) days = params.notice_working_days;
    }
    int32_t close_day = 0;
    int missing = 0;
    if (rc == YQ_OK &&
        notice_close_day(calendar_official(db), opened, days, &close_day, &missing) != YQ_OK &&
        notice_close_day(calendar_refresh(db), opened, days, &close_day, &missing) != YQ_OK)
        rc = problem_set(p, YQ_EINVAL, "calendar_unpublished", "opens_on",
                         "%d 年的法定节假日安排尚未公布，无法计算公示截止日", missing);
    struct notice *n = &x->n;
    if (rc == YQ_OK) {
        memset(n, 0, sizeof *n);
        id_new(n->id);
        snprintf(n->county_code, sizeof n->county_code, "%s", x->county);
        clock_format_date(opened, n->opens_on);
        clock_format_date(close_day, n->close_day);
        n->working_days = days;
        n->open = true;
        n->created_at = now;
        rc = notice_no_next(db, n->opens_on, n->notice_no);
        if (rc == YQ_OK) rc = notice_insert(db, n, a->user.username);
    }
    json_array_foreach(x->ids, i, v)
    {
        if (rc != YQ_OK) break;
        rc = notice_add_redemption(db, n->id, rs[i].id, now);
        if (rc == YQ_ECONFLICT)
            rc = problem_set(p, YQ_ECONFLICT, "invalid_state", "redemption_ids",
                             "兑现申请已不是已批准状态（可能重复提交）");
        if (rc == YQ_OK) {
            json_t *before = json_pack("{s:s}", "status", "approved");
            json_t *after = json_pack("{s:s, s:s}", "status", "in_notice", "notice_id", n->id);
            rc = audit(db, a, "redemption", rs[i].id, "notice_open", before, after);
            json_decref(before);
            json_decref(after);
        }
    }
    if (rc == YQ_OK) {
        json_t *after = json_pack("{s:s, s:s, s:s, s:i, s:O}", "county_code", n->county_code,
                                  "opens_on", n->opens_on, "close_day", n->close_day,
                                  "working_days", n->working_days, "redemption_ids", x->ids);
        rc = audit(db, a, "notice", n->id, "open", NULL, after);
        json_decref(after);
    }
    free(rs);
    return rc;
}

json_t *notices_open(struct db *db, const struct actor *a, json_t *body, struct problem *p)
{
    json_t *ids = json_object_get(body, "redemption_ids");
    const char *county = json_string_value(json_object_get(body, "county_code"));
    if (!county) {
        problem_set(p, YQ_EINVAL, "missing_field", "county_code", "请选择区县");
        return NULL;
    }
    if (!json_is_array(ids) || json_array_size(ids) == 0 ||
        json_array_size(ids) > MAX_REDEMPTIONS) {
        problem_set(p, YQ_EINVAL, "invalid_field", "redemption_ids",
                    "请选择 1 至 200 份已批准的兑现申请");
        return NULL;
    }
    /* The same application twice is the caller's slip, not its state. */
    if (redemption_ids_distinct(ids, p) != YQ_OK) return NULL;
    struct opening x = {.actor = a,
                        .county = county,
                        .ids = ids,
                        .opens_on = json_string_value(json_object_get(body, "opens_on"))};
    if (service_tx(db, open_run, &x, p) != YQ_OK) return NULL;
    return notices_read(db, a, x.n.id, p);
}

/* ---- Closing --------------------------------------------------------------- */

struct closing {
    const struct actor *actor;
    const char *id;
};

static int close_run(struct db *db, void *ctx, struct problem *p)
{
    struct closing *x = ctx;
    struct notice n;
    if (load(db, x->actor, x->id, &n, p) != YQ_OK) return p->status;
    if (!n.open) return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "公示已结束");
    int32_t close_day;
    if (clock_parse_date(n.close_day, &close_day) != YQ_OK) return YQ_ERR;
    int64_t now = clock_now_ms();
    if (!notice_may_close_at(close_day, now))
        return problem_set(p, YQ_ECONFLICT, "notice_too_early", NULL,
                           "公示期不少于 %d 个工作日，%s 结束后方可结束公示", n.working_days,
                           n.close_day);
    int64_t open = 0, moved = 0;
    int rc = notice_open_objections(db, n.id, &open);
    if (rc != YQ_OK) return rc;
    if (open)
        return problem_set(p, YQ_ECONFLICT, "objection_open", NULL,
                           "尚有 %lld 件异议未处理，处理完毕后方可结束公示", (long long)open);
    if ((rc = notice_close(db, n.id, x->actor->user.username, now)) != YQ_OK ||
        (rc = notice_close_redemptions(db, n.id, now, &moved)) != YQ_OK)
        return rc;
    json_t *before = json_pack("{s:s}", "status", "open");
    json_t *after = json_pack("{s:s, s:I}", "status", "closed", "redemptions", (json_int_t)moved);
    rc = audit(db, x->actor, "notice", n.id, "close", before, after);
    json_decref(before);
    json_decref(after);
    return rc;
}

json_t *notices_close(struct db *db, const struct actor *a, const char *id, struct problem *p)
{
    struct closing x = {a, id};
    if (service_tx(db, close_run, &x, p) != YQ_OK) return NULL;
    return notices_read(db, a, id, p);
}

/* ---- Reads ------------------------------------------------------------------- */

/* 公示 starts on its opening day: before it, the public neither sees the
 * notice nor can file an objection (the officials' lists show it, with
 * `upcoming`). */
static void mark_upcoming(json_t *o, const char *day)
{
    const char *opens = json_string_value(json_object_get(o, "opens_on"));
    json_object_set_new(o, "upcoming", json_boolean(opens && strcmp(opens, day) > 0));
}

static json_t *list(struct db *db, const struct row_scope *s, const struct list_filter *f,
                    const char *period, int64_t offset, int64_t limit, struct problem *p)
{
    json_t *r = notices_page(db, s, f, period, offset, limit);
    if (!r) {
        problem_db_error(p);
        return NULL;
    }
    size_t i;
    json_t *o;
    char day[16];
    clock_today(day);
    json_array_foreach(json_object_get(r, "items"), i, o)
    {
        add_earliest(o);
        mark_upcoming(o, day);
    }
    return r;
}

json_t *notices_list(struct db *db, const struct actor *a, const struct list_filter *f,
                     const char *period, int64_t offset, int64_t limit, struct problem *p)
{
    struct row_scope scope;
    const char *one;
    actor_row_scope(a, &scope, &one);
    return list(db, &scope, f, period, offset, limit, p);
}

json_t *notices_public_list(struct db *db, int64_t offset, int64_t limit, struct problem *p)
{
    struct row_scope all = {.all = true};
    struct list_filter opened = {0};
    char day[16];
    clock_today(day);
    memcpy(opened.to_day, day, sizeof opened.to_day - 1); /* YYYY-MM-DD */
    json_t *r = list(db, &all, &opened, NULL, offset, limit, p);
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(r, "items"), i, o) json_object_del(o, "open_objections");
    return r;
}

static json_t *view(struct db *db, const char *id, bool public_view, struct problem *p)
{
    json_t *o = notice_view(db, id, public_view);
    if (!o) {
        problem_db_error(p);
        return NULL;
    }
    add_earliest(o);
    char day[16];
    clock_today(day);
    mark_upcoming(o, day);
    size_t i;
    json_t *ob;
    json_array_foreach(json_object_get(o, "objections"), i, ob)
        rows_instants(ob, "created_at", "resolved_at", NULL);
    return o;
}

json_t *notices_read(struct db *db, const struct actor *a, const char *id, struct problem *p)
{
    struct notice n;
    if (load(db, a, id, &n, p) != YQ_OK) return NULL;
    return view(db, id, false, p);
}

json_t *notices_public_read(struct db *db, const char *id, struct problem *p)
{
    struct notice n;
    int rc = notice_get(db, id, &n);
    if (rc == YQ_ENOTFOUND) {
        not_found(p);
        return NULL;
    }
    if (rc != YQ_OK) {
        problem_db_error(p);
        return NULL;
    }
    char day[16];
    clock_today(day);
    if (strcmp(n.opens_on, day) > 0) {
        not_found(p);
        return NULL;
    }
    return view(db, id, true, p);
}

/* ---- Objections ------------------------------------------------------------------ */

struct filing {
    const char *notice_id, *name, *contact, *text, *code, *addr, *request_id;
    struct objection o; /* out */
};

static int file_run(struct db *db, void *ctx, struct problem *p)
{
    struct filing *f = ctx;
    int64_t now = clock_now_ms(), recent = 0;
    /* Throttled first: an anonymous caller costs one count. */
    int rc = objections_from(db, f->addr, now - 3600LL * 1000, &recent);
    if (rc != YQ_OK) return rc;
    if (recent >= OBJECTIONS_PER_HOUR) {
        problem_set(p, YQ_ELIMIT, "too_many_objections", NULL,
                    "同一地址一小时内最多提交 %d 件异议，请稍后再试", OBJECTIONS_PER_HOUR);
        p->retry_after = 3600;
        return p->status;
    }
    struct notice n;
    rc = notice_get(db, f->notice_id, &n);
    if (rc == YQ_ENOTFOUND) return not_found(p);
    if (rc != YQ_OK) return rc;
    /* Not public before its opening day (notices_public_read): as if absent. */
    int32_t opened;
    if (clock_parse_date(n.opens_on, &opened) != YQ_OK || clock_cst_day(now) < opened)
        return not_found(p);
    if (!n.open)
        return problem_set(p, YQ_ECONFLICT, "notice_closed", NULL, "公示已结束，不再受理异议");
    /* Every application taken off it: nothing is left to object to, and an
     * objection would only hold the notice open. */
    int64_t items = 0;
    if ((rc = notice_items_count(db, n.id, &items)) != YQ_OK) return rc;
    if (items == 0)
        return problem_set(p, YQ_ECONFLICT, "notice_empty", NULL,
                           "本次公示的项目均已撤出，不再受理异议");
    struct objection *o = &f->o;
    memset(o, 0, sizeof *o);
    id_new(o->id);
    snprintf(o->notice_id, sizeof o->notice_id, "%s", n.id);
    if (f->code && f->code[0]) {
        snprintf(o->voucher_code, sizeof o->voucher_code, "%s", f->code);
        rc = notice_redemption_of_code(db, n.id, f->code, o->redemption_id);
        if (rc == YQ_ENOTFOUND)
            return problem_set(p, YQ_EINVAL, "invalid_field", "voucher_code",
                               "本次公示中没有券号 %s", f->code);
        if (rc != YQ_OK) return rc;
    }
    o->open = true;
    rc = objection_insert(db, o, f->name, f->contact, f->text, f->addr, now);
    if (rc != YQ_OK) return rc;
    struct actor public_actor;
    actor_cli(&public_actor);
    snprintf(public_actor.user.username, sizeof public_actor.user.username, "public:%s", f->addr);
    snprintf(public_actor.user.role, sizeof public_actor.user.role, "public");
    public_actor.client_addr = f->addr;
    public_actor.request_id = f->request_id;
    json_t *after = json_pack("{s:s, s:s?, s:s}", "notice_id", n.id, "voucher_code",
                              o->voucher_code[0] ? o->voucher_code : NULL, "status", "open");
    rc = audit(db, &public_actor, "objection", o->id, "file", NULL, after);
    json_decref(after);
    return rc;
}

json_t *objections_file(struct db *db, const char *notice_id, json_t *body, const char *client_addr,
                        const char *request_id, struct problem *p)
{
    struct filing f = {.notice_id = notice_id,
                       .name = json_string_value(json_object_get(body, "name")),
                       .contact = json_string_value(json_object_get(body, "contact")),
                       .text = json_string_value(json_object_get(body, "text")),
                       .code = json_string_value(json_object_get(body, "voucher_code")),
                       .addr = client_addr,
                       .request_id = request_id};
    if (validate_text("name", "姓名或单位", f.name, 60, p) != YQ_OK ||
        validate_text("contact", "联系方式", f.contact, 60, p) != YQ_OK ||
        validate_paragraphs("text", "异议内容", f.text, 2000, p) != YQ_OK)
        return NULL;
    /* Whoever handles it must be able to reach the objector. */
    if (!text_is_phone(f.contact) && !text_is_email(f.contact)) {
        problem_set(p, YQ_EINVAL, "invalid_field", "contact",
                    "联系方式须为电话号码（如 13800000000、0537-2345678）或电子邮箱");
        return NULL;
    }
    if (f.code && strlen(f.code) > 32) {
        problem_set(p, YQ_EINVAL, "invalid_field", "voucher_code", "券号格式不正确");
        return NULL;
    }
    if (service_tx(db, file_run, &f, p) != YQ_OK) return NULL;
    return json_pack("{s:s, s:s, s:s}", "id", f.o.id, "status", "open", "message",
                     "异议已受理。联系方式仅供处理人员联系，不公开。");
}

struct resolving {
    const struct actor *actor;
    const char *id;
    json_t *body;
};

static int resolve_run(struct db *db, void *ctx, struct problem *p)
{
    struct resolving *x = ctx;
    struct objection o;
    int rc = objection_get(db, x->id, &o);
    if (rc == YQ_ENOTFOUND) return problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "异议不存在");
    if (rc != YQ_OK) return rc;
    struct notice n;
    if (load(db, x->actor, o.notice_id, &n, p) != YQ_OK)
        return problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "异议不存在");
    if (!o.open) return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "该异议已处理");
    const char *decision = json_string_value(json_object_get(x->body, "decision"));
    const char *reason = json_string_value(json_object_get(x->body, "reason"));
    bool uphold = decision && strcmp(decision, "uphold") == 0;
    if (!decision || (!uphold && strcmp(decision, "dismiss") != 0))
        return problem_set(p, YQ_EINVAL, decision ? "invalid_field" : "missing_field", "decision",
                           "处理结论须为 dismiss（不予采纳）或 uphold（采纳，退回审核）");
    if (validate_text("reason", "处理理由", reason, 500, p) != YQ_OK) return p->status;
    int64_t now = clock_now_ms();
    char rid[ID_LEN + 1];
    snprintf(rid, sizeof rid, "%s", o.redemption_id);
    if (uphold && !rid[0]) {
        const char *code = json_string_value(json_object_get(x->body, "voucher_code"));
        rc = code ? notice_redemption_of_code(db, n.id, code, rid) : YQ_ENOTFOUND;
        if (rc == YQ_ENOTFOUND)
            return problem_set(p, YQ_EINVAL, "missing_field", "voucher_code",
                               "采纳异议须指明涉及的券号（本次公示中的券）");
        if (rc != YQ_OK) return rc;
    }
    const char *named = json_string_value(json_object_get(x->body, "voucher_code"));
    rc = objection_resolve(db, o.id, uphold ? "upheld" : "dismissed", reason,
                           x->actor->user.username, now, uphold && rid[0] ? rid : NULL,
                           uphold && !o.voucher_code[0] ? named : NULL);
    if (rc == YQ_ECONFLICT)
        return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "该异议已处理");
    /* Upheld: the application leaves the notice and goes back to review. */
    if (rc == YQ_OK && uphold) {
        rc = notice_remove_redemption(db, rid, "evaluated", now);
        if (rc == YQ_ECONFLICT)
            return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL,
                               "涉及的兑现申请已不在公示中");
        if (rc == YQ_OK) {
            json_t *before = json_pack("{s:s, s:s}", "status", "in_notice", "notice_id", n.id);
            json_t *after = json_pack("{s:s, s:s, s:s}", "status", "evaluated", "objection", o.id,
                                      "reason", reason);
            rc = audit(db, x->actor, "redemption", rid, "objection_upheld", before, after);
            json_decref(before);
            json_decref(after);
        }
    }
    if (rc == YQ_OK) {
        json_t *before = json_pack("{s:s}", "status", "open");
        json_t *after = json_pack("{s:s, s:s}", "status", uphold ? "upheld" : "dismissed",
                                  "resolution", reason);
        rc = audit(db, x->actor, "objection", o.id, uphold ? "uphold" : "dismiss", before, after);
        json_decref(before);
        json_decref(after);
    }
    return rc;
}

json_t *objections_resolve(struct db *db, const struct actor *a, const char *id, json_t *body,
                           struct problem *p)
{
    struct resolving x = {a, id, body};
    if (service_tx(db, resolve_run, &x, p) != YQ_OK) return NULL;
    struct objection o;
    if (objection_get(db, id, &o) != YQ_OK) {
        problem_db_error(p);
        return NULL;
    }
    return notices_read(db, a, o.notice_id, p);
}
