/* 信用负面清单 (SPEC §8): listing disqualifies the party with that USCC
 * and blocks its sign-up; lifting sends it back to review. Effects on
 * vouchers and redemptions arrive with those modules. */
#include "service/catalog.h"
#include "core/clock.h"
#include "core/status.h"
#include "core/uscc.h"
#include "core/validate.h"
#include "service/parties.h"
#include "service/vouchers.h"
#include "store/audit.h"
#include "store/id.h"
#include "store/parties.h"
#include "store/rows.h"

#include <string.h>

static json_t *entry_json(json_t *row)
{
    json_t *o = json_deep_copy(row);
    rows_instants(o, "added_at", "lifted_at", NULL);
    return o;
}

/* 取消申领和服务资格: the party's live vouchers end (their reservations go
 * back to the pool and serve the waitlist) and its queued applications
 * leave the queue. */
static int end_vouchers(struct db *db, const struct actor *a, const char *uscc,
                        struct problem *p)
{
    json_t *live = rows_all(db,
                            "SELECT v.* FROM vouchers v WHERE v.status IN ('issued',"
                            " 'partially_redeemed') AND (v.enterprise_id IN (SELECT id FROM"
                            " enterprises WHERE uscc = ?) OR v.provider_id IN (SELECT id FROM"
                            " providers WHERE uscc = ?))",
                            "tt", uscc, uscc);
    if (!live) return problem_db_error(p);
    size_t i;
    json_t *v;
    int rc = YQ_OK;
    json_array_foreach(live, i, v)
    {
        rc = vouchers_close(db, a, v, "terminated", "列入信用负面清单，取消资格");
        if (rc != YQ_OK) break;
    }
    json_decref(live);
    /* Its queued applications leave; whoever was behind moves up. */
    json_t *queued = rc == YQ_OK ? rows_all(db,
                                            "SELECT DISTINCT county_code, year FROM waitlist WHERE"
                                            " status = 'waiting' AND enterprise_id IN (SELECT id"
                                            " FROM enterprises WHERE uscc = ?)",
                                            "t", uscc)
                                 : NULL;
    if (rc == YQ_OK && !queued) rc = YQ_ERR;
    if (rc == YQ_OK)
        rc = db_run(db,
                    "UPDATE waitlist SET status = 'cancelled', closed_at = ? WHERE status ="
                    " 'waiting' AND enterprise_id IN (SELECT id FROM enterprises WHERE uscc = ?)",
                    "it", clock_now_ms(), uscc);
    json_array_foreach(queued, i, v)
    {
        if (rc != YQ_OK) break;
        rc = vouchers_serve_waitlist(db, a, json_string_value(json_object_get(v, "county_code")),
                                     (int)json_integer_value(json_object_get(v, "year")));
    }
    json_decref(queued);
    return rc == YQ_OK ? YQ_OK : problem_db_error(p);
}

json_t *negative_list_add(struct db *db, const struct actor *a, const char *uscc_in,
                          const char *reason, const char *evidence, struct problem *p)
{
    char uscc[USCC_LEN + 1];
    if (uscc_validate("uscc", uscc_in, uscc, p) != YQ_OK ||
        validate_text("reason", "列入原因", reason, 500, p) != YQ_OK ||
        validate_text("evidence", "证据材料说明", evidence, 2000, p) != YQ_OK)
        return NULL;
    if (db_begin(db, true) != YQ_OK) {
        problem_db_error(p);
        return NULL;
    }
    json_t *existing = negative_list_active(db, uscc), *row = NULL, *result = NULL;
    if (existing) {
        problem_set(p, YQ_ECONFLICT, "already_listed", "uscc", "该统一社会信用代码已在负面清单中");
        goto fail;
    }
    /* The name of the party, when it is registered. */
    json_t *party = NULL;
    const char *name = NULL;
    if (rows_one(db, &party,
                 "SELECT name FROM enterprises WHERE uscc = ? UNION ALL"
                 " SELECT name FROM providers WHERE uscc = ?",
                 "tt", uscc, uscc) == YQ_OK)
        name = json_string_value(json_object_get(party, "name"));
    char id[ID_LEN + 1];
    id_new(id);
    row = json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s, s:I}", "id", id, "uscc", uscc, "name", name,
                    "reason", reason, "evidence", evidence, "added_by", a->user.username,
                    "added_at", (json_int_t)clock_now_ms());
    json_decref(party);
    struct audit_actor who = actor_audit(a);
    if (rows_insert(db, "negative_list", row) != YQ_OK ||
        audit_append(db, &who, "negative_list", id, "add", NULL, row) != YQ_OK) {
        problem_db_error(p);
        goto fail;
    }
    if (parties_apply_negative_list(db, a, uscc, true, p) != YQ_OK) goto fail;
    if (end_vouchers(db, a, uscc, p) != YQ_OK) goto fail;
    if (db_commit(db) != YQ_OK) {
        problem_db_error(p);
        goto fail;
    }
    result = entry_json(row);
    json_decref(row);
    return result;
fail:
    db_rollback(db);
    json_decref(existing);
    json_decref(row);
    return NULL;
}

json_t *negative_list_lift(struct db *db, const struct actor *a, const char *id,
                           const char *reason, struct problem *p)
{
    if (validate_text("reason", "移出原因", reason, 500, p) != YQ_OK) return NULL;
    if (db_begin(db, true) != YQ_OK) {
        problem_db_error(p);
        return NULL;
    }
    json_t *before = NULL, *after = NULL, *result = NULL;
    int rc = rows_one(db, &before, "SELECT * FROM negative_list WHERE id = ?", "t", id);
    if (rc == YQ_ENOTFOUND) {
        problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "负面清单记录不存在");
        goto fail;
    }
    if (rc != YQ_OK) {
        problem_db_error(p);
        goto fail;
    }
    if (!json_is_null(json_object_get(before, "lifted_at"))) {
        problem_set(p, YQ_ECONFLICT, "already_lifted", NULL, "该记录已移出负面清单");
        goto fail;
    }
    json_t *set = json_pack("{s:I, s:s, s:s}", "lifted_at", (json_int_t)clock_now_ms(),
                            "lifted_by", a->user.username, "lift_reason", reason);
    rc = rows_update(db, "negative_list", id, set);
    json_decref(set);
    struct audit_actor who = actor_audit(a);
    if (rc != YQ_OK ||
        rows_one(db, &after, "SELECT * FROM negative_list WHERE id = ?", "t", id) != YQ_OK ||
        audit_append(db, &who, "negative_list", id, "lift", before, after) != YQ_OK) {
        problem_db_error(p);
        goto fail;
    }
    const char *uscc = json_string_value(json_object_get(after, "uscc"));
    if (parties_apply_negative_list(db, a, uscc, false, p) != YQ_OK) goto fail;
    if (db_commit(db) != YQ_OK) {
        problem_db_error(p);
        goto fail;
    }
    result = entry_json(after);
    goto out;
fail:
    db_rollback(db);
out:
    json_decref(before);
    json_decref(after);
    return result;
}

json_t *negative_list_view(struct db *db, bool include_lifted, const char *q, int64_t offset,
                           int64_t limit, struct problem *p)
{
    json_t *r = negative_list_list(db, include_lifted, q, offset, limit);
    if (!r) {
        problem_db_error(p);
        return NULL;
    }
    json_t *items = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(r, "items"), i, row)
        json_array_append_new(items, entry_json(row));
    json_object_set_new(r, "items", items);
    return r;
}
