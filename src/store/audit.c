/* Audit chain: append, verify, list. */
#include "store/audit.h"
#include "store/id.h"
#include "store/rows.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char genesis[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct row {
    int64_t seq, at;
    const char *actor_id, *actor_username, *actor_role, *entity, *entity_id, *action;
    const char *before, *after, *request_id, *client_addr;
};

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* sha256(prev_hash || canonical JSON of the row). */
static void entry_hash(const char *prev, const struct row *r, char out[65])
{
    json_t *o = json_object();
    json_object_set_new(o, "seq", json_integer(r->seq));
    json_object_set_new(o, "at", json_integer(r->at));
    json_object_set_new(o, "actor_id", str_or_null(r->actor_id));
    json_object_set_new(o, "actor_username", str_or_null(r->actor_username));
    json_object_set_new(o, "actor_role", str_or_null(r->actor_role));
    json_object_set_new(o, "entity", str_or_null(r->entity));
    json_object_set_new(o, "entity_id", str_or_null(r->entity_id));
    json_object_set_new(o, "action", str_or_null(r->action));
    json_object_set_new(o, "before", str_or_null(r->before));
    json_object_set_new(o, "after", str_or_null(r->after));
    json_object_set_new(o, "request_id", str_or_null(r->request_id));
    json_object_set_new(o, "client_addr", str_or_null(r->client_addr));
    char *canon = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    size_t plen = strlen(prev), clen = strlen(canon);
    char *msg = yq_malloc(plen + clen + 1);
    memcpy(msg, prev, plen);
    memcpy(msg + plen, canon, clen + 1);
    id_sha256_hex(msg, plen + clen, out);
    free(msg);
    free(canon);
}

static char *dump_or_null(json_t *v)
{
    return v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
}

int audit_append(struct db *db, const struct audit_actor *who, const char *entity,
                 const char *entity_id, const char *action, json_t *before, json_t *after)
{
    static const struct audit_actor nobody = {0};
    if (!who) who = &nobody;
    int64_t last_seq = 0;
    char prev[65];
    memcpy(prev, genesis, sizeof prev);
    struct db_stmt *st = db_query(db, "SELECT seq, hash FROM audit_head WHERE id = 1", NULL);
    if (!st) return YQ_ERR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        last_seq = db_col_int64(st, 0);
        snprintf(prev, sizeof prev, "%s", db_col_text(st, 1));
    }
    db_finalize(st);
    if (rc < 0) return rc;

    char *before_s = dump_or_null(before), *after_s = dump_or_null(after);
    struct row r = {
        .seq = last_seq + 1, .at = clock_now_ms(),
        .actor_id = who->user_id, .actor_username = who->username, .actor_role = who->role,
        .entity = entity, .entity_id = entity_id, .action = action,
        .before = before_s, .after = after_s,
        .request_id = who->request_id, .client_addr = who->client_addr,
    };
    char hash[65];
    entry_hash(prev, &r, hash);
    rc = db_run(db,
                "INSERT INTO audit_log(seq, at, actor_id, actor_username, actor_role, entity,"
                " entity_id, action, before_json, after_json, request_id, client_addr,"
                " prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                "iittttttttttt" "t", r.seq, r.at, r.actor_id, r.actor_username, r.actor_role,
                r.entity, r.entity_id, r.action, r.before, r.after, r.request_id, r.client_addr,
                prev, hash);
    free(before_s);
    free(after_s);
    if (rc != YQ_OK) return rc;
    if (last_seq == 0)
        return db_run(db, "INSERT INTO audit_head(id, seq, hash) VALUES (1, ?, ?)", "it", r.seq,
                      hash);
    return db_run(db, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", "it", r.seq, hash);
}

static int breach(struct audit_report *rep, int64_t seq, const char *fmt, const char *detail)
{
    rep->bad_seq = seq;
    snprintf(rep->reason, sizeof rep->reason, fmt, detail);
    return YQ_ECONFLICT;
}

int audit_verify(struct db *db, struct audit_report *rep)
{
    memset(rep, 0, sizeof *rep);
    struct db_stmt *st = db_query(
        db,
        "SELECT seq, at, actor_id, actor_username, actor_role, entity, entity_id, action,"
        " before_json, after_json, request_id, client_addr, prev_hash, hash"
        " FROM audit_log ORDER BY seq",
        NULL);
    if (!st) return YQ_ERR;
    char prev[65];
    memcpy(prev, genesis, sizeof prev);
    int64_t expect = 1;
    int rc, result = YQ_OK;
    while ((rc = db_step(st)) == DB_ROW) {
        struct row r = {
            .seq = db_col_int64(st, 0), .at = db_col_int64(st, 1),
            .actor_id = db_col_text(st, 2), .actor_username = db_col_text(st, 3),
            .actor_role = db_col_text(st, 4), .entity = db_col_text(st, 5),
            .entity_id = db_col_text(st, 6), .action = db_col_text(st, 7),
            .before = db_col_text(st, 8), .after = db_col_text(st, 9),
            .request_id = db_col_text(st, 10), .client_addr = db_col_text(st, 11),
        };
        const char *stored_prev = db_col_text(st, 12), *stored_hash = db_col_text(st, 13);
        if (r.seq != expect) {
            result = breach(rep, expect, "%s", "entry missing (deleted)");
            break;
        }
        if (!stored_prev || strcmp(stored_prev, prev) != 0) {
            result = breach(rep, r.seq, "%s", "prev_hash does not match the previous entry");
            break;
        }
        char h[65];
        entry_hash(prev, &r, h);
        if (!stored_hash || strcmp(stored_hash, h) != 0) {
            result = breach(rep, r.seq, "%s", "hash does not match the entry's contents (altered)");
            break;
        }
        memcpy(prev, h, sizeof prev);
        rep->checked++;
        expect++;
    }
    db_finalize(st);
    if (rc < 0) return rc;
    if (result != YQ_OK) return result;

    /* The head must name the last entry: rows cut off the end show here. */
    st = db_query(db, "SELECT seq, hash FROM audit_head WHERE id = 1", NULL);
    if (!st) return YQ_ERR;
    rc = db_step(st);
    if (rc == DB_ROW) {
        int64_t head_seq = db_col_int64(st, 0);
        const char *head_hash = db_col_text(st, 1);
        if (head_seq != expect - 1)
            result = breach(rep, expect, "%s", "entries missing at the end of the chain");
        else if (!head_hash || strcmp(head_hash, prev) != 0)
            result = breach(rep, head_seq, "%s", "chain head does not match the last entry");
    } else if (rc == DB_DONE && expect > 1) {
        result = breach(rep, 1, "%s", "chain head missing");
    }
    db_finalize(st);
    if (rc < 0) return rc;
    return result;
}

static json_t *parse_or_null(const char *s)
{
    if (!s) return json_null();
    json_t *v = json_loads(s, JSON_DECODE_ANY, NULL);
    return v ? v : json_string(s);
}

json_t *audit_list(struct db *db, const struct audit_filter *f)
{
    struct rows_where w;
    rows_where_init(&w);
    if (f->entity) rows_where_text(&w, "entity = ?", f->entity, 1);
    if (f->actor) rows_where_text(&w, "actor_username = ?", f->actor, 1);
    if (f->from_ms) rows_where_int(&w, "at >= ?", f->from_ms);
    if (f->to_ms) rows_where_int(&w, "at < ?", f->to_ms);
    json_t *r = rows_page(db,
                          "seq, at, actor_username, actor_role, entity, entity_id, action,"
                          " before_json, after_json, request_id, client_addr, hash",
                          "FROM audit_log", &w, "seq DESC", f->offset, f->limit);
    rows_where_cleanup(&w);
    if (!r) return NULL;
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r, "items"), i, item)
    {
        rows_instants(item, "at", NULL);
        json_object_set_new(item, "before",
                            parse_or_null(json_string_value(json_object_get(item, "before_json"))));
        json_object_set_new(item, "after",
                            parse_or_null(json_string_value(json_object_get(item, "after_json"))));
        json_object_del(item, "before_json");
        json_object_del(item, "after_json");
    }
    return r;
}
