/* Reading one contract (SPEC §5): the record every role sees, in one
 * snapshot. */
#include "core/status.h"
#include "service/contracts.h"
#include "service/risk.h"
#include "service/scope.h"
#include "service/stream.h"
#include "service/tx.h"
#include "service/vouchers.h"
#include "store/rows.h"

/* The one render function of a contract: its row and its view (taken). */
static json_t *record(const struct contract *c, json_t *view)
{
    json_t *o = contract_json(c);
    json_object_update(o, view);
    json_decref(view);
    json_object_set_new(o, "status_name", json_string(contract_state_label(c->state)));
    rows_instants(o, "confirmed_at", "closed_at", "created_at", "updated_at", NULL);
    return o;
}

static json_t *render(struct db *db, const struct contract *c, struct problem *p)
{
    json_t *view = contract_view(db, c);
    if (!view) {
        problem_db_error(p);
        return NULL;
    }
    return record(c, view);
}

/* The fields of one of view's parts, from the outcome's row. */
static json_t *part_of(const json_t *row, const char *const *keys)
{
    if (!row) return json_null();
    json_t *o = json_object();
    for (; *keys; keys++) {
        json_t *v = json_object_get(row, *keys);
        json_object_set(o, *keys, v ? v : json_null());
    }
    return o;
}

json_t *contracts_confirmed_record(struct db *db, const struct contract *c, const char *enterprise,
                                   const char *provider, const struct issue_outcome *out,
                                   struct problem *p)
{
    static const char *const voucher[] = {"id", "code", "amount_fen", "status", NULL};
    static const char *const waitlist[] = {"id",           "amount_fen", "position", "status",
                                           "close_reason", "ahead",      NULL};
    json_t *view =
        json_pack("{s:s, s:s}", "enterprise_name", enterprise, "provider_name", provider);
    if (!view || contract_view_documents(db, c, view) != YQ_OK) {
        json_decref(view);
        problem_db_error(p);
        return NULL;
    }
    json_object_set_new(view, "voucher", part_of(out->voucher, voucher));
    json_object_set_new(view, "waitlist", part_of(out->waitlist, waitlist));
    return record(c, view);
}

static json_t *read_now(struct db *db, const struct actor *a, const char *id, struct problem *p)
{
    struct contract c;
    char side;
    if (contracts_load(db, a, id, &c, &side, p) != YQ_OK) return NULL;
    json_t *o = render(db, &c, p);
    /* Reviewers see the risk signals; the parties do not. */
    if (o && role_is_official(a->role)) {
        json_t *row = contract_json(&c);
        json_t *warnings = risk_contract_signals(db, row);
        json_decref(row);
        if (!warnings) {
            json_decref(o);
            problem_db_error(p);
            return NULL;
        }
        json_object_set_new(o, "warnings", warnings);
    }
    return o;
}

struct reading {
    const struct actor *actor;
    const char *id;
    json_t *out;
};

static int read_run(struct db *db, void *ctx, struct problem *p)
{
    struct reading *r = ctx;
    r->out = read_now(db, r->actor, r->id, p);
    return r->out ? YQ_OK : p->status != YQ_OK ? p->status : problem_db_error(p);
}

/* The record's reads (the contract, its parties' names, lines,
 * attachments, voucher, queue place) share one snapshot: one state of the
 * contract, and one read transaction instead of one per statement (each
 * of which, under a rush, starts with an emptied page cache). */
json_t *contracts_read(struct db *db, const struct actor *a, const char *id, struct problem *p)
{
    if (db_in_transaction(db)) return read_now(db, a, id, p);
    struct reading r = {.actor = a, .id = id};
    if (service_read(db, read_run, &r, p) != YQ_OK) {
        json_decref(r.out);
        return NULL;
    }
    return r.out;
}

/* ---- The list ---------------------------------------------------------- */

/* A contract of the list as the screen shows it. */
static void list_item(json_t *c)
{
    int st = contract_state_parse(rows_str(c, "status"));
    json_object_set_new(c, "status_name",
                        json_string(st >= 0 ? contract_state_label((enum contract_state)st)
                                            : rows_str(c, "status")));
    rows_instants(c, "confirmed_at", "created_at", NULL);
}

json_t *contracts_list(struct db *db, const struct actor *a, const struct list_filter *f,
                       int64_t offset, int64_t limit, struct problem *p)
{
    struct row_scope scope;
    const char *one;
    actor_row_scope(a, &scope, &one);
    service_stream_map(list_item); /* an export's streamed items get it too */
    json_t *r = contracts_page(db, &scope, f, offset, limit);
    if (!r) {
        problem_db_error(p);
        return NULL;
    }
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(r, "items"), i, c) list_item(c);
    return r;
}
