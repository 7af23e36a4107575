/* Reading the audit log (SPEC §11): the page of entries with the records
 * they name, and the counts the jobs and reports ask for. Writing and
 * verifying the chain is audit.c. */
#include "store/audit.h"
#include "store/rows.h"
#include "core/labels.h"
#include "core/status.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *parse_or_null(const char *s)
{
    if (!s) return json_null();
    json_t *v = json_loads(s, JSON_DECODE_ANY, NULL);
    return v ? v : json_string(s);
}


/* The business code and name of each kind of record the log names, joined
 * to the page's entries in one statement. Each join is guarded by the
 * entry's entity so that an id never matches a record of another kind. */
static const char refs_sql[] =
    "SELECT l.seq,"
    " CASE l.entity WHEN 'contract' THEN c.contract_no WHEN 'voucher' THEN v.code"
    "  WHEN 'enterprise' THEN e.uscc WHEN 'provider' THEN pr.uscc"
    "  WHEN 'user' THEN u.username WHEN 'session' THEN u.username"
    "  WHEN 'program' THEN pg.doc_no WHEN 'redemption' THEN rd.period"
    "  WHEN 'objection' THEN ob.voucher_code WHEN 'waitlist' THEN wc.contract_no"
    "  WHEN 'negative_list' THEN nl.uscc WHEN 'clawback' THEN cv.code"
    "  WHEN 'notice' THEN l.entity_id WHEN 'payout' THEN l.entity_id"
    "  WHEN 'login' THEN l.entity_id END,"
    " CASE l.entity WHEN 'contract' THEN ce.name WHEN 'voucher' THEN ve.name"
    "  WHEN 'enterprise' THEN e.name WHEN 'provider' THEN pr.name"
    "  WHEN 'user' THEN u.display_name WHEN 'session' THEN u.display_name"
    "  WHEN 'program' THEN pg.name WHEN 'catalog_item' THEN civ.name"
    "  WHEN 'redemption' THEN rp.name WHEN 'objection' THEN ob.name"
    "  WHEN 'waitlist' THEN we.name WHEN 'negative_list' THEN nl.name"
    "  WHEN 'clawback' THEN cve.name WHEN 'notice' THEN nc.name WHEN 'payout' THEN pc.name"
    "  WHEN 'budget' THEN bc.name END"
    " FROM audit_log l"
    " LEFT JOIN contracts c ON l.entity = 'contract' AND c.id = l.entity_id"
    " LEFT JOIN enterprises ce ON ce.id = c.enterprise_id"
    " LEFT JOIN vouchers v ON l.entity = 'voucher' AND v.id = l.entity_id"
    " LEFT JOIN enterprises ve ON ve.id = v.enterprise_id"
    " LEFT JOIN enterprises e ON l.entity = 'enterprise' AND e.id = l.entity_id"
    " LEFT JOIN providers pr ON l.entity = 'provider' AND pr.id = l.entity_id"
    " LEFT JOIN users u ON l.entity IN ('user', 'session') AND u.id = l.entity_id"
    " LEFT JOIN programs pg ON l.entity = 'program' AND pg.id = l.entity_id"
    " LEFT JOIN catalog_items ci ON l.entity = 'catalog_item' AND ci.id = l.entity_id"
    " LEFT JOIN catalog_item_versions civ ON civ.item_id = ci.id"
    "  AND civ.version = ci.latest_version"
    " LEFT JOIN redemptions rd ON l.entity = 'redemption' AND rd.id = l.entity_id"
    " LEFT JOIN providers rp ON rp.id = rd.provider_id"
    " LEFT JOIN objections ob ON l.entity = 'objection' AND ob.id = l.entity_id"
    " LEFT JOIN waitlist w ON l.entity = 'waitlist' AND w.id = l.entity_id"
    " LEFT JOIN contracts wc ON wc.id = w.contract_id"
    " LEFT JOIN enterprises we ON we.id = w.enterprise_id"
    " LEFT JOIN negative_list nl ON l.entity = 'negative_list' AND nl.id = l.entity_id"
    " LEFT JOIN clawbacks cb ON l.entity = 'clawback' AND cb.id = l.entity_id"
    " LEFT JOIN vouchers cv ON cv.id = cb.voucher_id"
    " LEFT JOIN enterprises cve ON cve.id = cv.enterprise_id"
    " LEFT JOIN notices n ON l.entity = 'notice' AND n.id = l.entity_id"
    " LEFT JOIN counties nc ON nc.code = n.county_code"
    " LEFT JOIN payouts po ON l.entity = 'payout' AND po.id = l.entity_id"
    " LEFT JOIN counties pc ON pc.code = po.county_code"
    " LEFT JOIN counties bc ON l.entity = 'budget' AND bc.code = SUBSTR(l.entity_id, 6, 6)"
    " WHERE l.seq IN (";

static json_t *find_seq(json_t *items, int64_t seq)
{
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        if (json_integer_value(json_object_get(item, "seq")) == seq) return item;
    }
    return NULL;
}

/* Sets entity_code and entity_label on every item of the page. */
static int resolve_refs(struct db *db, json_t *items)
{
    size_t n = json_array_size(items), i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        json_object_set_new(item, "entity_code", json_null());
        json_object_set_new(item, "entity_label", json_null());
    }
    if (n == 0) return YQ_OK;
    struct buf sql;
    buf_init(&sql, sizeof refs_sql + 4 * n + 8);
    buf_printf(&sql, "%s", refs_sql);
    for (i = 0; i < n; i++) buf_printf(&sql, i ? ",?" : "?");
    buf_printf(&sql, ")");
    struct db_stmt *st = db_prepare(db, sql.data);
    buf_cleanup(&sql);
    if (!st) return YQ_ERR;
    json_array_foreach(items, i, item)
    {
        db_bind_int64(st, (int)i + 1, json_integer_value(json_object_get(item, "seq")));
    }
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *it = find_seq(items, db_col_int64(st, 0));
        if (!it) continue;
        const char *code = db_col_text(st, 1), *label = db_col_text(st, 2);
        const char *entity = json_string_value(json_object_get(it, "entity"));
        char period[32];
        if (code && entity && strcmp(entity, "redemption") == 0) {
            label_period(code, period, sizeof period);
            code = period;
        }
        if (code) json_object_set_new(it, "entity_code", json_string(code));
        if (label) json_object_set_new(it, "entity_label", json_string(label));
    }
    db_finalize(st);
    return rc < 0 ? rc : YQ_OK;
}

/* The entries of the record a code names: its id, or the business code of
 * a contract (with its waitlist entry), voucher (with its clawbacks and
 * objections), enterprise, provider, listing or account. Each arm
 * names its entity so that the (entity, entity_id) index serves it. */
static const char code_match[] =
    "(entity_id = ?"
    " OR (entity = 'contract' AND entity_id IN (SELECT id FROM contracts WHERE contract_no = ?))"
    " OR (entity = 'waitlist' AND entity_id IN (SELECT w.id FROM waitlist w"
    "  JOIN contracts c ON c.id = w.contract_id WHERE c.contract_no = ?))"
    " OR (entity = 'voucher' AND entity_id IN (SELECT id FROM vouchers WHERE code = ?))"
    " OR (entity = 'clawback' AND entity_id IN (SELECT cb.id FROM clawbacks cb"
    "  JOIN vouchers v ON v.id = cb.voucher_id WHERE v.code = ?))"
    " OR (entity = 'objection' AND entity_id IN (SELECT id FROM objections"
    "  WHERE voucher_code = ?))"
    " OR (entity = 'enterprise' AND entity_id IN (SELECT id FROM enterprises WHERE uscc = ?))"
    " OR (entity = 'provider' AND entity_id IN (SELECT id FROM providers WHERE uscc = ?))"
    " OR (entity = 'negative_list' AND entity_id IN (SELECT id FROM negative_list WHERE uscc = ?))"
    " OR (entity IN ('user', 'session') AND entity_id IN (SELECT id FROM users"
    " WHERE username = ?)))";

json_t *audit_list(struct db *db, const struct audit_filter *f)
{
    struct rows_where w;
    rows_where_init(&w);
    if (f->entity) rows_where_text(&w, "entity = ?", f->entity, 1);
    if (f->entity_id) rows_where_text(&w, "entity_id = ?", f->entity_id, 1);
    if (f->actor) rows_where_text(&w, "actor_username = ?", f->actor, 1);
    if (f->code) rows_where_text(&w, code_match, f->code, 10);
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
        const char *entity = json_string_value(json_object_get(item, "entity"));
        const char *action = json_string_value(json_object_get(item, "action"));
        json_object_set_new(item, "entity_name", str_or_null(label_audit_entity(entity)));
        json_object_set_new(item, "action_name",
                            str_or_null(label_audit_action(entity, action)));
    }
    if (resolve_refs(db, json_object_get(r, "items")) != YQ_OK) {
        json_decref(r);
        return NULL;
    }
    return r;
}

int audit_last_seq(struct db *db, int64_t *out)
{
    return rows_int(db, out, "SELECT COALESCE(MAX(seq), 0) FROM audit_log", "");
}

int audit_count_since(struct db *db, int64_t after_seq, const char *entity, const char *action,
                      int64_t *out)
{
    return rows_int(db, out,
                    "SELECT COUNT(*) FROM audit_log WHERE seq > ? AND entity = ? AND action = ?",
                    "itt", after_seq, entity, action);
}
