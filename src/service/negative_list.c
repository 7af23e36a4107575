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
#include "store/vouchers.h"
#include "store/waitlist.h"

#include <stdlib.h>
#include <string.h>

static json_t *entry_json(json_t *row)
{
    json_t *o = json_deep_copy(row);
    rows_instants(o, "added_at", "lifted_at", NULL);
    return o;
}

/* 取消申领和服务资格: the party's live vouchers end (their reservations go
 * back to the pool and serve the waitlist), and every application waiting
 * for a contract of the party, as enterprise or as provider, leaves the
 * queue with the listing as its reason. */
static int end_vouchers(struct db *db, const struct actor *a, const char *uscc,
                        struct problem *p)
{
    struct voucher_ids live;
    int rc = vouchers_live_of_uscc(db, uscc, &live);
    if (rc != YQ_OK) return problem_db_error(p);
    for (size_t i = 0; i < live.n && rc == YQ_OK; i++) {
        struct voucher v;
        rc = voucher_get(db, live.id[i], &v);
        if (rc == YQ_OK && voucher_state_live(v.state))
            rc = vouchers_close(db, a, &v, VOUCHER_TERMINATED, "列入信用负面清单，取消资格");
    }
    voucher_ids_free(&live);
    struct waitlist_entry *w = NULL;
    size_t n = 0;
    if (rc == YQ_OK) rc = waitlist_waiting_of_uscc(db, uscc, &w, &n);
    if (rc == YQ_OK) rc = vouchers_leave_queue(db, a, w, n, "合同一方列入信用负面清单，退出候补队列");
    free(w);
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
