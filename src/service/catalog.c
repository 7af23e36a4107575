/* Catalog items and their versions. */
#include "service/catalog.h"
#include "core/clock.h"
#include "core/status.h"
#include "core/validate.h"
#include "service/tx.h"
#include "store/audit.h"
#include "store/id.h"
#include "store/parties.h"
#include "store/rows.h"

#include <stdio.h>
#include <string.h>

static const char *const item_fields[] = {"reference_service_id",
                                          "name",
                                          "description",
                                          "specification",
                                          "unit",
                                          "list_price_fen",
                                          "discount_price_fen",
                                          "valid_from",
                                          "valid_until",
                                          NULL};

static int not_found(struct problem *p)
{
    return problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "目录产品不存在");
}

static const char *item_status_zh(const char *s)
{
    if (strcmp(s, "pending") == 0) return "待审核";
    if (strcmp(s, "published") == 0) return "已发布";
    if (strcmp(s, "rejected") == 0) return "已退回";
    if (strcmp(s, "withdrawn") == 0) return "已下架";
    if (strcmp(s, "superseded") == 0) return "已被新版本取代";
    return s;
}

/* Checks a complete version (after merging an edit) and the reference. */
static int check_version(struct db *db, json_t *v, struct problem *p)
{
    const char *key;
    json_t *val;
    json_object_foreach(v, key, val)
    {
        bool known = false;
        for (int i = 0; item_fields[i]; i++)
            if (strcmp(item_fields[i], key) == 0) known = true;
        if (!known) return problem_set(p, YQ_EINVAL, "unknown_field", key, "未知字段：%s", key);
    }
    json_t *ref = json_object_get(v, "reference_service_id");
    if (!json_is_integer(ref))
        return problem_set(p, YQ_EINVAL, ref ? "wrong_type" : "missing_field",
                           "reference_service_id", "请选择对应的参考目录服务");
    int rc = reference_service_exists(db, json_integer_value(ref));
    if (rc == YQ_ENOTFOUND)
        return problem_set(p, YQ_EINVAL, "invalid_field", "reference_service_id",
                           "参考目录中没有该服务");
    if (rc != YQ_OK) return problem_db_error(p);
    static const struct {
        const char *key, *label;
        size_t max;
    } texts[] = {{"name", "产品名称", 100},
                 {"description", "产品说明", 2000},
                 {"specification", "规格", 500},
                 {"unit", "计价单位", 8}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        json_t *t = json_object_get(v, texts[i].key);
        if (t && !json_is_string(t))
            return problem_set(p, YQ_EINVAL, "wrong_type", texts[i].key, "%s须为文字",
                               texts[i].label);
        if ((rc = validate_text(texts[i].key, texts[i].label, json_string_value(t), texts[i].max,
                                p)) != YQ_OK)
            return rc;
    }
    json_t *list = json_object_get(v, "list_price_fen"),
           *disc = json_object_get(v, "discount_price_fen");
    if (!json_is_integer(list) || json_integer_value(list) <= 0 ||
        json_integer_value(list) > 100000000000LL)
        return problem_set(p, YQ_EINVAL, "invalid_field", "list_price_fen",
                           "标准价格须为正整数（单位：分）");
    if (!json_is_integer(disc) || json_integer_value(disc) < 0)
        return problem_set(p, YQ_EINVAL, "invalid_field", "discount_price_fen",
                           "优惠价格须为非负整数（单位：分）");
    if (json_integer_value(disc) > json_integer_value(list))
        return problem_set(p, YQ_EINVAL, "invalid_field", "discount_price_fen",
                           "优惠价格不能高于标准价格");
    int32_t from, until;
    if (clock_parse_date(rows_str(v, "valid_from"), &from) != YQ_OK)
        return problem_set(p, YQ_EINVAL, "invalid_field", "valid_from",
                           "有效期起始日须为 YYYY-MM-DD");
    if (clock_parse_date(rows_str(v, "valid_until"), &until) != YQ_OK)
        return problem_set(p, YQ_EINVAL, "invalid_field", "valid_until",
                           "有效期截止日须为 YYYY-MM-DD");
    if (until < from)
        return problem_set(p, YQ_EINVAL, "invalid_field", "valid_until",
                           "有效期截止日不能早于起始日");
    return YQ_OK;
}

/* The item with its versions; NULL on a database error. */
static json_t *render(struct db *db, json_t *item)
{
    const char *id = rows_str(item, "id");
    json_t *versions = catalog_versions(db, id);
    if (!versions) return NULL;
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:O}", "id", id, "provider_id",
                          rows_str(item, "provider_id"), "provider_name",
                          rows_str(item, "provider_name"), "status", rows_str(item, "status"),
                          "status_name", item_status_zh(rows_str(item, "status")), "latest_version",
                          json_object_get(item, "latest_version"), "published_version",
                          json_object_get(item, "published_version"));
    size_t i;
    json_t *v;
    json_array_foreach(versions, i, v)
    {
        json_object_set_new(v, "status_name",
                            json_string(item_status_zh(rows_str(v, "version_status"))));
        rows_instants(v, "version_created_at", "reviewed_at", NULL);
    }
    json_object_set_new(o, "versions", versions);
    return o;
}

/* Whether the actor owns the item's provider. */
static bool owns(const struct actor *a, json_t *item)
{
    return a->role == ROLE_PROVIDER && strcmp(rows_str(item, "provider_user_id"), a->user.id) == 0;
}

static int load(struct db *db, const struct actor *a, const char *id, json_t **item,
                struct problem *p)
{
    int rc = catalog_item_get(db, id, item);
    if (rc == YQ_ENOTFOUND || (rc == YQ_OK && a->role == ROLE_PROVIDER && !owns(a, *item))) {
        json_decref(*item);
        *item = NULL;
        return not_found(p);
    }
    return rc == YQ_OK ? YQ_OK : problem_db_error(p);
}

static int audit_item(struct db *db, const struct actor *a, const char *id, const char *action,
                      json_t *before, json_t *after)
{
    struct audit_actor who = actor_audit(a);
    return audit_append(db, &who, "catalog_item", id, action, before, after);
}

/* A write that failed: a row no longer in the state read (409), or the
 * database. */
static int write_failed(struct problem *p, int rc)
{
    if (rc == YQ_ECONFLICT)
        return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL,
                           "该产品状态已变化，请刷新后重试");
    return problem_db_error(p);
}

struct submission {
    const struct actor *actor;
    json_t *fields;
    char id[ID_LEN + 1]; /* out */
};

static int submit_run(struct db *db, void *ctx, struct problem *p)
{
    struct submission *x = ctx;
    if (check_version(db, x->fields, p) != YQ_OK) return p->status;
    json_t *provider = NULL;
    int rc = parties_get_by_user(db, "providers", x->actor->user.id, &provider);
    if (rc == YQ_ENOTFOUND ||
        (rc == YQ_OK && strcmp(rows_str(provider, "status"), "approved") != 0)) {
        json_decref(provider);
        return problem_set(p, YQ_ECONFLICT, "provider_not_approved", NULL,
                           "云服务商资料尚未通过审核，不能提交目录产品");
    }
    if (rc != YQ_OK) return rc;
    id_new(x->id);
    int64_t now = clock_now_ms();
    if ((rc = catalog_item_insert(db, x->id, rows_str(provider, "id"), now)) == YQ_OK &&
        (rc = catalog_version_insert(db, x->id, 1, x->fields, now)) == YQ_OK)
        rc = audit_item(db, x->actor, x->id, "submit", NULL, x->fields);
    json_decref(provider);
    return rc;
}

json_t *catalog_submit(struct db *db, const struct actor *a, json_t *fields, struct problem *p)
{
    struct submission x = {.actor = a, .fields = fields};
    if (service_tx(db, submit_run, &x, p) != YQ_OK) return NULL;
    return catalog_read(db, a, x.id, p);
}

/* The catalog's write use cases, each one transaction (service/tx.h). */
struct change {
    const struct actor *actor;
    const char *id, *reason;
    json_t *changes;
    bool publish;
};

static int edit_run(struct db *db, void *ctx, struct problem *p)
{
    struct change *x = ctx;
    json_t *item = NULL, *latest = NULL, *merged = NULL;
    int rc = load(db, x->actor, x->id, &item, p);
    if (rc != YQ_OK) return p->status;
    if (!owns(x->actor, item)) {
        rc = not_found(p);
        goto out;
    }
    if (strcmp(rows_str(item, "status"), "withdrawn") == 0) {
        rc = problem_set(p, YQ_ECONFLICT, "withdrawn", NULL, "已下架的产品不能修改");
        goto out;
    }
    int64_t latest_no = json_integer_value(json_object_get(item, "latest_version"));
    if ((rc = catalog_version_get(db, x->id, latest_no, &latest)) != YQ_OK) goto out;
    merged = json_object();
    for (int i = 0; item_fields[i]; i++)
        json_object_set(merged, item_fields[i], json_object_get(latest, item_fields[i]));
    json_object_update(merged, x->changes);
    if ((rc = check_version(db, merged, p)) != YQ_OK) goto out;
    /* A pending version is replaced by a newer pending one: only the
     * latest ever waits for review. */
    if (strcmp(rows_str(latest, "version_status"), "pending") == 0)
        rc = catalog_version_supersede(db, x->id, latest_no);
    /* Never published: the item as a whole waits for review again. */
    const char *status =
        json_is_integer(json_object_get(item, "published_version")) ? NULL : "pending";
    int64_t now = clock_now_ms();
    if (rc == YQ_OK) rc = catalog_item_set_latest(db, x->id, latest_no, status, now);
    if (rc == YQ_OK) rc = catalog_version_insert(db, x->id, latest_no + 1, merged, now);
    if (rc == YQ_OK) rc = audit_item(db, x->actor, x->id, "edit", latest, merged);
    if (rc != YQ_OK && p->status == YQ_OK) rc = write_failed(p, rc);
out:
    json_decref(item);
    json_decref(latest);
    json_decref(merged);
    return rc;
}

json_t *catalog_edit(struct db *db, const struct actor *a, const char *id, json_t *changes,
                     struct problem *p)
{
    if (!json_is_object(changes) || json_object_size(changes) == 0) {
        problem_set(p, YQ_EINVAL, "empty_change", NULL, "没有要修改的字段");
        return NULL;
    }
    struct change x = {.actor = a, .id = id, .changes = changes};
    if (service_tx(db, edit_run, &x, p) != YQ_OK) return NULL;
    return catalog_read(db, a, id, p);
}

static int review_run(struct db *db, void *ctx, struct problem *p)
{
    struct change *x = ctx;
    json_t *item = NULL, *latest = NULL;
    int rc = load(db, x->actor, x->id, &item, p);
    if (rc != YQ_OK) return p->status;
    int64_t latest_no = json_integer_value(json_object_get(item, "latest_version"));
    if ((rc = catalog_version_get(db, x->id, latest_no, &latest)) != YQ_OK) goto out;
    if (strcmp(rows_str(latest, "version_status"), "pending") != 0 ||
        strcmp(rows_str(item, "status"), "withdrawn") == 0) {
        rc = problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "该产品没有待审核的版本");
        goto out;
    }
    if (x->publish && strcmp(rows_str(item, "provider_status"), "approved") != 0) {
        rc = problem_set(p, YQ_ECONFLICT, "provider_not_approved", NULL,
                         "该云服务商当前不是已通过状态，不能发布其产品");
        goto out;
    }
    int64_t now = clock_now_ms();
    json_t *published = json_object_get(item, "published_version");
    rc = catalog_version_review(db, x->id, latest_no, x->publish, x->reason,
                                x->actor->user.username, now);
    if (x->publish) {
        /* The version published before gives way to this one. */
        if (rc == YQ_OK && json_is_integer(published))
            rc = catalog_version_supersede(db, x->id, (int64_t)json_integer_value(published));
        if (rc == YQ_OK) rc = catalog_item_set_published(db, x->id, latest_no, now);
    } else if (rc == YQ_OK) {
        /* A rejected edit leaves a published item on offer as it was. */
        rc =
            catalog_item_set_status(db, x->id, json_is_integer(published) ? NULL : "rejected", now);
    }
    json_t *after = json_pack("{s:I, s:s, s:s?}", "version", (json_int_t)latest_no, "decision",
                              x->publish ? "published" : "rejected", "reason", x->reason);
    if (rc == YQ_OK)
        rc = audit_item(db, x->actor, x->id, x->publish ? "publish" : "reject", latest, after);
    json_decref(after);
    if (rc != YQ_OK && p->status == YQ_OK) rc = write_failed(p, rc);
out:
    json_decref(item);
    json_decref(latest);
    return rc;
}

json_t *catalog_review(struct db *db, const struct actor *a, const char *id, bool publish,
                       const char *reason, struct problem *p)
{
    if (!publish && validate_text("reason", "退回原因", reason, 500, p) != YQ_OK) return NULL;
    struct change x = {.actor = a, .id = id, .reason = reason, .publish = publish};
    if (service_tx(db, review_run, &x, p) != YQ_OK) return NULL;
    return catalog_read(db, a, id, p);
}

static int withdraw_run(struct db *db, void *ctx, struct problem *p)
{
    struct change *x = ctx;
    json_t *item = NULL;
    int rc = load(db, x->actor, x->id, &item, p);
    if (rc != YQ_OK) return p->status;
    if (x->actor->role == ROLE_PROVIDER && !owns(x->actor, item)) {
        rc = not_found(p);
    } else if (strcmp(rows_str(item, "status"), "withdrawn") == 0) {
        rc = problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "该产品已下架");
    } else {
        int64_t now = clock_now_ms();
        rc = catalog_item_set_status(db, x->id, "withdrawn", now);
        json_t *before = json_pack("{s:s}", "status", rows_str(item, "status"));
        json_t *after =
            json_pack("{s:s, s:I}", "status", "withdrawn", "updated_at", (json_int_t)now);
        if (rc == YQ_OK) rc = audit_item(db, x->actor, x->id, "withdraw", before, after);
        json_decref(before);
        json_decref(after);
        if (rc != YQ_OK) rc = write_failed(p, rc);
    }
    json_decref(item);
    return rc;
}

json_t *catalog_withdraw(struct db *db, const struct actor *a, const char *id, struct problem *p)
{
    struct change x = {.actor = a, .id = id};
    if (service_tx(db, withdraw_run, &x, p) != YQ_OK) return NULL;
    return catalog_read(db, a, id, p);
}

json_t *catalog_read(struct db *db, const struct actor *a, const char *id, struct problem *p)
{
    json_t *item = NULL;
    if (load(db, a, id, &item, p) != YQ_OK) return NULL;
    json_t *o = render(db, item);
    json_decref(item);
    if (!o) problem_db_error(p);
    return o;
}

static void add_status_names(json_t *list)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(list, "items"), i, it)
    {
        json_object_set_new(it, "status_name", json_string(item_status_zh(rows_str(it, "status"))));
        json_object_del(it, "version_created_at");
        json_object_del(it, "reviewed_at");
    }
}

json_t *catalog_items_list(struct db *db, const struct actor *a, struct catalog_filter *f,
                           struct problem *p)
{
    json_t *provider = NULL;
    if (a->role == ROLE_PROVIDER) {
        int rc = parties_get_by_user(db, "providers", a->user.id, &provider);
        if (rc == YQ_ENOTFOUND) return json_pack("{s:[], s:i}", "items", "total", 0);
        if (rc != YQ_OK) {
            problem_db_error(p);
            return NULL;
        }
        f->provider_id = rows_str(provider, "id");
    }
    json_t *r = catalog_list(db, f, false);
    json_decref(provider);
    if (!r) {
        problem_db_error(p);
        return NULL;
    }
    add_status_names(r);
    return r;
}

json_t *catalog_public(struct db *db, struct catalog_filter *f, struct problem *p)
{
    f->status = NULL;
    f->pending_review = false;
    /* 有效期: what is on offer on `valid_on` (a contract's signing date,
     * checked by the caller), else everything whose validity has not
     * ended today. */
    char today[16];
    if (!f->valid_on) {
        clock_today(today);
        f->not_ended_on = today;
    }
    json_t *r = catalog_list(db, f, true);
    if (!r) {
        problem_db_error(p);
        return NULL;
    }
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r, "items"), i, it)
    {
        /* The public sees what is on offer, not the review trail. */
        static const char *const private_keys[] = {
            "reject_reason",      "reviewed_by",    "reviewed_at", "version_status",
            "version_created_at", "latest_version", "status"};
        for (size_t k = 0; k < sizeof private_keys / sizeof private_keys[0]; k++)
            json_object_del(it, private_keys[k]);
    }
    return r;
}

json_t *catalog_public_provider(struct db *db, const char *id, struct problem *p)
{
    json_t *row = NULL;
    int rc = parties_get(db, "providers", id, &row);
    if (rc != YQ_OK && rc != YQ_ENOTFOUND) {
        problem_db_error(p);
        return NULL;
    }
    if (rc == YQ_ENOTFOUND || strcmp(rows_str(row, "status"), "approved") != 0) {
        json_decref(row);
        problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "云服务商不存在");
        return NULL;
    }
    json_t *o = json_object();
    static const char *const fields[] = {"id", "uscc", "name", "kind", "qualifications", NULL};
    for (int i = 0; fields[i]; i++)
        json_object_set(o, fields[i], json_object_get(row, fields[i]));
    json_decref(row);
    struct catalog_filter f = {.provider_id = id, .price_min = -1, .price_max = -1, .limit = 200};
    json_t *items = catalog_public(db, &f, p);
    if (!items) {
        json_decref(o);
        return NULL;
    }
    json_object_set(o, "items", json_object_get(items, "items"));
    json_decref(items);
    return o;
}
