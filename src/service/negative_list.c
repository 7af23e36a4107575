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
#include "service/tx.h"
#include "store/rows.h"
#include "store/standing.h"
#include "store/redemptions.h"
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

/* Its open redemption applications are rejected with the listing as the
 * reason, leaving open notices and unpaid batches; paid money is
 * untouched unless clawed back. */
static int reject_applications(struct db *db, const struct actor *a, const char *uscc,
                               const char *listed_for)
{
    char(*ids)[ID_LEN + 1] = NULL;
    size_t n = 0;
    int rc = redemptions_open_of_uscc(db, uscc, &ids, &n);
    struct audit_actor who = actor_audit(a);
    for (size_t i = 0; i < n && rc == YQ_OK; i++) {
        struct redemption r;
        if ((rc = redemption_get(db, ids[i], &r)) != YQ_OK) break;
        if (redemption_next(r.state, REDEMPTION_EV_DISQUALIFY) == REDEMPTION_INVALID) continue;
        char reason[2048]; /* the listing's reason is at most 500 characters */
        snprintf(reason, sizeof reason, "合同一方列入信用负面清单（列入原因：%s），兑现申请驳回",
                 listed_for);
        if ((rc = redemption_disqualify(db, &r, reason, a->user.username, clock_now_ms())) != YQ_OK) break;
        json_t *before = json_pack("{s:s}", "status", redemption_state_name(r.state));
        json_t *after = json_pack("{s:s, s:s}", "status", "rejected", "reason", reason);
        rc = audit_append(db, &who, "redemption", r.id, "disqualify", before, after);
        json_decref(before);
        json_decref(after);
    }
    free(ids);
    return rc;
}

/* 取消申领和服务资格: the party's live vouchers end (their reservations go
 * back to the pool and serve the waitlist), and every application waiting
 * for a contract of the party, as enterprise or as provider, leaves the
 * queue with the listing as its reason. */
static int end_vouchers(struct db *db, const struct actor *a, const char *uscc,
                        const char *listed_for, struct problem *p)
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
    if (rc == YQ_OK)
        rc = vouchers_leave_queue(db, a, w, n, "合同一方列入信用负面清单，退出候补队列");
    free(w);
    if (rc == YQ_OK) rc = reject_applications(db, a, uscc, listed_for);
    return rc == YQ_OK ? YQ_OK : problem_db_error(p);
}

/* Listing, in one transaction: the entry, the party's status, its
 * vouchers and its queued applications. */
struct listing {
    const struct actor *actor;
    const char *uscc, *reason, *evidence;
    json_t *row; /* out */
};

static int add_run(struct db *db, void *ctx, struct problem *p)
{
    struct listing *x = ctx;
    bool listed;
    int rc = negative_list_listed(db, x->uscc, &listed);
    if (rc != YQ_OK) return rc;
    if (listed)
        return problem_set(p, YQ_ECONFLICT, "already_listed", "uscc",
                           "该统一社会信用代码已在负面清单中");
    /* The name of the party, when it is registered. */
    char name[512];
    rc = party_name_of_uscc(db, x->uscc, name, sizeof name);
    if (rc != YQ_OK && rc != YQ_ENOTFOUND) return rc;
    char id[ID_LEN + 1];
    id_new(id);
    x->row = json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s, s:I}", "id", id, "uscc", x->uscc, "name",
                       rc == YQ_OK ? name : NULL, "reason", x->reason, "evidence", x->evidence,
                       "added_by", x->actor->user.username, "added_at", (json_int_t)clock_now_ms());
    struct audit_actor who = actor_audit(x->actor);
    if ((rc = rows_insert(db, "negative_list", x->row)) != YQ_OK ||
        (rc = audit_append(db, &who, "negative_list", id, "add", NULL, x->row)) != YQ_OK)
        return rc;
    if (parties_apply_negative_list(db, x->actor, x->uscc, true, p) != YQ_OK) return p->status;
    return end_vouchers(db, x->actor, x->uscc, x->reason, p);
}

json_t *negative_list_add(struct db *db, const struct actor *a, const char *uscc_in,
                          const char *reason, const char *evidence, struct problem *p)
{
    char uscc[USCC_LEN + 1];
    if (uscc_validate("uscc", uscc_in, uscc, p) != YQ_OK ||
        validate_text("reason", "列入原因", reason, 500, p) != YQ_OK ||
        validate_text("evidence", "证据材料说明", evidence, 2000, p) != YQ_OK)
        return NULL;
    struct listing x = {a, uscc, reason, evidence, NULL};
    json_t *result = service_tx(db, add_run, &x, p) == YQ_OK ? entry_json(x.row) : NULL;
    json_decref(x.row);
    return result;
}

struct lifting {
    const struct actor *actor;
    const char *id, *reason;
    json_t *after; /* out */
};

static int lift_run(struct db *db, void *ctx, struct problem *p)
{
    struct lifting *x = ctx;
    json_t *before = NULL;
    int rc = negative_list_entry(db, x->id, &before);
    if (rc == YQ_ENOTFOUND)
        return problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "负面清单记录不存在");
    if (rc != YQ_OK) return rc;
    rc = negative_list_lift_entry(db, x->id, clock_now_ms(), x->actor->user.username, x->reason);
    if (rc == YQ_ECONFLICT)
        rc = problem_set(p, YQ_ECONFLICT, "already_lifted", NULL, "该记录已移出负面清单");
    struct audit_actor who = actor_audit(x->actor);
    if (rc == YQ_OK) rc = negative_list_entry(db, x->id, &x->after);
    if (rc == YQ_OK) rc = audit_append(db, &who, "negative_list", x->id, "lift", before, x->after);
    if (rc == YQ_OK &&
        parties_apply_negative_list(db, x->actor, rows_str(x->after, "uscc"), false, p) != YQ_OK)
        rc = p->status;
    json_decref(before);
    return rc;
}

json_t *negative_list_lift(struct db *db, const struct actor *a, const char *id, const char *reason,
                           struct problem *p)
{
    if (validate_text("reason", "移出原因", reason, 500, p) != YQ_OK) return NULL;
    struct lifting x = {a, id, reason, NULL};
    json_t *result = service_tx(db, lift_run, &x, p) == YQ_OK ? entry_json(x.after) : NULL;
    json_decref(x.after);
    return result;
}

json_t *negative_list_view(struct db *db, bool include_lifted, const struct list_filter *f,
                           int64_t offset, int64_t limit, struct problem *p)
{
    json_t *r = negative_list_list(db, include_lifted, f, offset, limit);
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
