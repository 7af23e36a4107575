/* Audit chain: append, verify, list. */
#include "store/audit.h"
#include "store/id.h"
#include "store/rows.h"
#include "store/seq.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/json_canon.h"
#include "core/labels.h"
#include "core/mem.h"
#include "core/status.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char genesis[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct row {
    int64_t seq, at, shard_seq;
    int chain; /* 1: before shards (migration 16), 2: with its shard */
    const char *shard;
    const char *actor_id, *actor_username, *actor_role, *entity, *entity_id, *action;
    const char *before, *after, *request_id, *client_addr;
};

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The canonical JSON of the row the long way: a jansson object, dumped.
 * Taken only when a value is not valid UTF-8 (never written by the
 * platform): json_string refuses it, and its key is left out. */
static char *entry_text_slow(const struct row *r)
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
    if (r->chain >= 2) {
        json_object_set_new(o, "shard", str_or_null(r->shard));
        json_object_set_new(o, "shard_seq", json_integer(r->shard_seq));
    }
    char *canon = json_canon_dumps(o);
    json_decref(o);
    return canon;
}

/* The same text written straight: the members in jansson's sorted key
 * order (tests/unit/store/audit.c recomputes stored hashes with jansson). */
static char *entry_text(const struct row *r)
{
    const struct {
        const char *key, *s;
        int64_t i;
        bool is_int;
    } m[] = {{"action", r->action, 0, false},          {"actor_id", r->actor_id, 0, false},
             {"actor_role", r->actor_role, 0, false},  {"actor_username", r->actor_username, 0, false},
             {"after", r->after, 0, false},            {"at", NULL, r->at, true},
             {"before", r->before, 0, false},          {"client_addr", r->client_addr, 0, false},
             {"entity", r->entity, 0, false},          {"entity_id", r->entity_id, 0, false},
             {"request_id", r->request_id, 0, false},  {"seq", NULL, r->seq, true},
             {"shard", r->shard, 0, false},            {"shard_seq", NULL, r->shard_seq, true}};
    /* (shard and shard_seq: chain 2 only) */
    size_t n = r->chain >= 2 ? 14 : 12;
    for (size_t k = 0; k < n; k++)
        if (m[k].s && !json_canon_utf8(m[k].s)) return entry_text_slow(r);
    struct buf b;
    buf_init(&b, SIZE_MAX);
    int rc = buf_append(&b, "{", 1);
    for (size_t k = 0; rc == YQ_OK && k < n; k++) {
        if (k) rc = buf_append(&b, ",", 1);
        if (rc == YQ_OK) rc = json_canon_string(&b, m[k].key, strlen(m[k].key));
        if (rc == YQ_OK) rc = buf_append(&b, ":", 1);
        if (rc != YQ_OK) break;
        if (m[k].is_int)
            rc = buf_printf(&b, "%" PRId64, m[k].i);
        else if (m[k].s)
            rc = json_canon_string(&b, m[k].s, strlen(m[k].s));
        else
            rc = buf_append(&b, "null", 4);
    }
    if (rc == YQ_OK) rc = buf_append(&b, "}", 1);
    if (rc != YQ_OK) {
        buf_cleanup(&b);
        return NULL;
    }
    return buf_steal(&b);
}

/* sha256(prev_hash || canonical JSON of the row). An entry of chain 2
 * covers its shard and its place in it too; entries written before the
 * shards keep the form they were hashed in. */
static void entry_hash(const char *prev, const struct row *r, char out[65])
{
    char *canon = entry_text(r);
    if (!canon) abort(); /* out of memory */
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
    return v ? json_canon_dumps(v) : NULL;
}

/* The shard of the open writing transaction: its scope's, or global. */
static void shard_of(struct db *db, char out[48])
{
    const char *scope = db_scope(db);
    if (scope)
        snprintf(out, 48, "county:%s", scope);
    else
        snprintf(out, 48, "global");
}

/* The shard's head while deferred (audit_defer_begin): read by the use
 * case's first entry, kept here for its next ones, written once by
 * audit_defer_end, guarded by the seq it was read at. */
static _Thread_local struct {
    bool on, have;
    char shard[48];
    int64_t read_seq; /* the head's seq when read, 0: no head row */
    int64_t last;     /* the head's seq now */
    char hash[65];    /* the head's hash now */
    int64_t next;     /* SQLite: the next entry's seq (MAX + 1 under the write lock) */
    int64_t spare;    /* PostgreSQL: a seq taken with the head's read, 0: none */
    /* PostgreSQL: the head's read of the transaction's shard, sent ahead
     * by audit_defer_begin to travel with the use case's first read; taken
     * by its first entry, or finalized unread by audit_defer_end. */
    struct db_stmt *ahead;
    char ahead_shard[48];
} head;

static struct db_stmt *head_query(struct db *db, const char *shard);

/* Queued (db_run_queued): on PostgreSQL the head travels with the
 * transaction's next statement; a failure, or a guard that matched no row,
 * fails it all. */
static int head_write(struct db *db, const char *shard, int64_t read_seq, int64_t seq,
                      const char *hash)
{
    if (read_seq == 0)
        return db_run_queued(db, 1, "INSERT INTO audit_heads(shard, seq, hash) VALUES (?, ?, ?)",
                             "tit", shard, seq, hash);
    return db_run_queued(db, 1,
                         "UPDATE audit_heads SET seq = ?, hash = ? WHERE shard = ? AND seq = ?",
                         "itti", seq, hash, shard, read_seq);
}

/* Across the use cases of one group commit (audit_group_begin): whether
 * `head` still says what the database holds once the last use case's
 * savepoint was released. */
static _Thread_local struct {
    bool on, valid;
} group;

static int head_flush(struct db *db)
{
    if (!head.have || head.last == head.read_seq) return YQ_OK;
    int rc = head_write(db, head.shard, head.read_seq, head.last, head.hash);
    head.read_seq = head.last;
    return rc;
}

void audit_defer_begin(struct db *db)
{
    head.on = true;
    head.have = group.on && group.valid;
    head.spare = 0;
    head.ahead = NULL;
    if (!head.have && strcmp(db_driver(db), "sqlite") != 0) {
        shard_of(db, head.ahead_shard);
        head.ahead = db_send_ahead(head_query(db, head.ahead_shard));
    }
}

int audit_defer_end(struct db *db, int rc)
{
    db_finalize(head.ahead); /* unread: the use case appended nothing */
    head.ahead = NULL;
    if (rc == YQ_OK) rc = head_flush(db);
    /* Kept on SQLite only: the group holds its write lock from BEGIN to
     * COMMIT, so no other writer moves the head between two use cases
     * (on PostgreSQL another server could). */
    group.valid = group.on && rc == YQ_OK && head.have && strcmp(db_driver(db), "sqlite") == 0;
    head.on = head.have = false;
    head.spare = 0;
    return rc;
}

void audit_group_begin(void)
{
    group.on = true;
    group.valid = false;
}

void audit_group_job(bool released)
{
    if (!released) group.valid = false;
}

void audit_group_end(void)
{
    group.on = group.valid = false;
}

/* The read of the shard's head and the next entry's seq. Deferred on
 * PostgreSQL (a confirmation appends two entries), the next entry's seq
 * is taken too, one round trip fewer. Unused, it is a gap, as a
 * rolled-back transaction's seq is. */
static struct db_stmt *head_query(struct db *db, const char *shard)
{
    char sql[256];
    bool spare = head.on && strcmp(db_driver(db), "sqlite") != 0;
    snprintf(sql, sizeof sql,
             "SELECT h.seq, h.hash, %s%s%s FROM (SELECT 1 AS one) x LEFT JOIN audit_heads h"
             " ON h.shard = ?",
             seq_expr(db, SEQ_AUDIT), spare ? ", " : "", spare ? seq_expr(db, SEQ_AUDIT) : "");
    return db_query(db, sql, "t", shard);
}

/* The shard's head (last 0 and the genesis hash when none) and the next
 * entry's seq: from memory when deferred and known, else in one round
 * trip. */
static int head_read(struct db *db, const char *shard, int64_t *last, char prev[65],
                     int64_t *seq)
{
    char sql[256];
    if (head.on && head.have && strcmp(head.shard, shard) == 0) {
        *last = head.last;
        memcpy(prev, head.hash, 65);
        if (strcmp(db_driver(db), "sqlite") == 0) {
            *seq = head.next;
            return YQ_OK;
        }
        if (head.spare > 0) {
            *seq = head.spare;
            head.spare = 0;
            return YQ_OK;
        }
        snprintf(sql, sizeof sql, "SELECT %s", seq_expr(db, SEQ_AUDIT));
        return rows_int(db, seq, sql, NULL) == YQ_OK && *seq > 0 ? YQ_OK : YQ_ERR;
    }
    if (head.on && head.have) { /* another shard: the known head is written first */
        int rc = head_flush(db);
        head.have = false;
        if (rc != YQ_OK) return rc;
    }
    *last = 0;
    memcpy(prev, genesis, 65);
    bool spare = head.on && strcmp(db_driver(db), "sqlite") != 0;
    struct db_stmt *st;
    if (head.on && head.ahead && strcmp(head.ahead_shard, shard) == 0) {
        st = head.ahead; /* sent ahead by audit_defer_begin, spare seq included */
        head.ahead = NULL;
    } else if (!(st = head_query(db, shard))) {
        return YQ_ERR;
    }
    int rc = db_step(st);
    if (rc == DB_ROW) {
        if (!db_col_null(st, 0)) {
            *last = db_col_int64(st, 0);
            snprintf(prev, 65, "%s", db_col_text(st, 1));
        }
        *seq = db_col_int64(st, 2);
        int64_t other = spare ? db_col_int64(st, 3) : 0;
        if (other > 0 && other < *seq) { /* whichever ran first comes first */
            int64_t t = *seq;
            *seq = other;
            other = t;
        }
        if (head.on) head.spare = other;
    }
    db_finalize(st);
    if (rc < 0) return rc;
    if (rc != DB_ROW || *seq <= 0) return YQ_ERR;
    if (head.on) {
        head.have = true;
        snprintf(head.shard, sizeof head.shard, "%s", shard);
        head.read_seq = head.last = *last;
        memcpy(head.hash, prev, 65);
    }
    return YQ_OK;
}

int audit_append(struct db *db, const struct audit_actor *who, const char *entity,
                 const char *entity_id, const char *action, json_t *before, json_t *after)
{
    static const struct audit_actor nobody = {0};
    if (!who) who = &nobody;
    char shard[48];
    shard_of(db, shard);
    int64_t last = 0, seq = 0;
    char prev[65];
    int rc = head_read(db, shard, &last, prev, &seq);
    if (rc != YQ_OK) return rc;

    char *before_s = dump_or_null(before), *after_s = dump_or_null(after);
    struct row r = {
        .seq = seq, .at = clock_now_ms(), .shard = shard, .shard_seq = last + 1, .chain = 2,
        .actor_id = who->user_id, .actor_username = who->username, .actor_role = who->role,
        .entity = entity, .entity_id = entity_id, .action = action,
        .before = before_s, .after = after_s,
        .request_id = who->request_id, .client_addr = who->client_addr,
    };
    char hash[65];
    entry_hash(prev, &r, hash);
    /* Queued (db_run_queued): on PostgreSQL the entry and its head travel
     * with the transaction's next statement; a failure fails it all. */
    rc = db_run_queued(db, 1,
                "INSERT INTO audit_log(seq, at, actor_id, actor_username, actor_role, entity,"
                " entity_id, action, before_json, after_json, request_id, client_addr,"
                " prev_hash, hash, shard, shard_seq, chain) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                "?,?,2)",
                "iittttttttttt" "tti", r.seq, r.at, r.actor_id, r.actor_username,
                r.actor_role, r.entity, r.entity_id, r.action, r.before, r.after, r.request_id,
                r.client_addr, prev, hash, shard, r.shard_seq);
    free(before_s);
    free(after_s);
    if (rc != YQ_OK) return rc;
    if (head.on) { /* written by audit_defer_end */
        head.last = r.shard_seq;
        memcpy(head.hash, hash, sizeof hash);
        head.next = seq + 1;
        return YQ_OK;
    }
    group.valid = false; /* the group's kept head is behind now */
    return head_write(db, shard, last, r.shard_seq, hash);
}

static int breach(struct audit_report *rep, int64_t seq, const char *fmt, const char *detail)
{
    rep->bad_seq = seq;
    snprintf(rep->reason, sizeof rep->reason, fmt, detail);
    return YQ_ECONFLICT;
}

/* Where one shard's walk stands. */
struct walk {
    char shard[64];
    char prev[65];
    int64_t expect;   /* the next shard_seq */
    int64_t last_seq; /* global seq of the shard's last entry seen */
    bool sharded;     /* a chain-2 entry was seen: no chain-1 entry may follow */
};

static void walk_start(struct walk *w, const char *shard)
{
    snprintf(w->shard, sizeof w->shard, "%s", shard ? shard : "");
    memcpy(w->prev, genesis, sizeof w->prev);
    w->expect = 1;
    w->last_seq = 0;
    w->sharded = false;
}

/* The head of the shard just walked must name its last entry: entries
 * cut off the end show here. */
static int check_head(struct db *db, const struct walk *w, struct audit_report *rep)
{
    struct db_stmt *st =
        db_query(db, "SELECT seq, hash FROM audit_heads WHERE shard = ?", "t", w->shard);
    if (!st) return YQ_ERR;
    int rc = db_step(st), result = YQ_OK;
    if (rc == DB_ROW) {
        int64_t head_seq = db_col_int64(st, 0);
        const char *head_hash = db_col_text(st, 1);
        if (head_seq != w->expect - 1)
            result = breach(rep, w->last_seq + 1, "%s", "链尾记录缺失");
        else if (!head_hash || strcmp(head_hash, w->prev) != 0)
            result = breach(rep, w->last_seq, "%s", "链头与最后一条记录不符");
    } else if (rc == DB_DONE) {
        result = breach(rep, w->last_seq, "%s", "链头缺失");
    }
    db_finalize(st);
    return rc < 0 ? rc : result;
}

/* A shard whose head is left but whose entries are all gone. */
static int check_orphan_heads(struct db *db, struct audit_report *rep)
{
    struct db_stmt *st = db_query(db,
                                  "SELECT h.shard FROM audit_heads h WHERE NOT EXISTS (SELECT 1"
                                  " FROM audit_log l WHERE l.shard = h.shard) ORDER BY h.shard",
                                  NULL);
    if (!st) return YQ_ERR;
    int rc = db_step(st), result = YQ_OK;
    if (rc == DB_ROW) result = breach(rep, 1, "%s", "该分片的记录全部缺失");
    db_finalize(st);
    return rc < 0 ? rc : result;
}

static int check_entry(struct walk *w, const struct row *r, const char *stored_prev,
                       const char *stored_hash, struct audit_report *rep)
{
    if (r->shard_seq != w->expect)
        return breach(rep, w->last_seq + 1, "%s", "该条记录缺失（已被删除）");
    if (r->chain == 1 ? (w->sharded || strcmp(w->shard, "global") != 0 || r->seq != r->shard_seq)
                      : r->chain != 2)
        return breach(rep, r->seq, "%s", "记录的链格式与所在位置不符（已被改动）");
    if (!stored_prev || strcmp(stored_prev, w->prev) != 0)
        return breach(rep, r->seq, "%s", "前序哈希与上一条记录不符");
    char h[65];
    entry_hash(w->prev, r, h);
    if (!stored_hash || strcmp(stored_hash, h) != 0)
        return breach(rep, r->seq, "%s", "哈希与记录内容不符（已被改动）");
    memcpy(w->prev, h, sizeof w->prev);
    w->sharded = r->chain == 2;
    w->last_seq = r->seq;
    w->expect++;
    return YQ_OK;
}

/* Keeps the earlier of two breaches in rep (a shard's walk stops at its
 * first; the first of all shards is what the report names). */
static void keep_first(struct audit_report *rep, const struct audit_report *b)
{
    if (rep->bad_seq && rep->bad_seq <= b->bad_seq) return;
    rep->bad_seq = b->bad_seq;
    memcpy(rep->reason, b->reason, sizeof rep->reason);
}

int audit_verify(struct db *db, struct audit_report *rep)
{
    memset(rep, 0, sizeof *rep);
    struct db_stmt *st = db_query(
        db,
        "SELECT seq, at, actor_id, actor_username, actor_role, entity, entity_id, action,"
        " before_json, after_json, request_id, client_addr, prev_hash, hash, shard, shard_seq,"
        " chain FROM audit_log ORDER BY shard <> 'global', shard, shard_seq",
        NULL);
    if (!st) return YQ_ERR;
    struct walk w;
    walk_start(&w, NULL);
    char global_head[65] = "";
    /* Every shard is walked to its first breach: the chains interleave by
     * seq, so the first bad entry of all may lie in any of them. */
    struct audit_report b;
    bool broken = false; /* the shard being walked broke: skip its rest */
    int rc, result = YQ_OK;
    while ((rc = db_step(st)) == DB_ROW) {
        struct row r = {
            .seq = db_col_int64(st, 0), .at = db_col_int64(st, 1),
            .actor_id = db_col_text(st, 2), .actor_username = db_col_text(st, 3),
            .actor_role = db_col_text(st, 4), .entity = db_col_text(st, 5),
            .entity_id = db_col_text(st, 6), .action = db_col_text(st, 7),
            .before = db_col_text(st, 8), .after = db_col_text(st, 9),
            .request_id = db_col_text(st, 10), .client_addr = db_col_text(st, 11),
            .shard = db_col_text(st, 14), .shard_seq = db_col_int64(st, 15),
            .chain = (int)db_col_int64(st, 16),
        };
        memset(&b, 0, sizeof b);
        if (!r.shard || db_col_null(st, 15)) {
            breach(&b, r.seq, "%s", "记录不属于任何分片（已被改动）");
            keep_first(rep, &b);
            continue;
        }
        if (strcmp(r.shard, w.shard) != 0) {
            if (w.shard[0] && !broken) {
                if ((result = check_head(db, &w, &b)) == YQ_ECONFLICT) keep_first(rep, &b);
                if (result != YQ_OK && result != YQ_ECONFLICT) break;
                result = YQ_OK;
            }
            if (strcmp(w.shard, "global") == 0) memcpy(global_head, w.prev, sizeof global_head);
            walk_start(&w, r.shard);
            broken = false;
        }
        if (broken) continue;
        if (check_entry(&w, &r, db_col_text(st, 12), db_col_text(st, 13), &b) != YQ_OK) {
            keep_first(rep, &b);
            broken = true;
            continue;
        }
        rep->checked++;
    }
    db_finalize(st);
    if (rc < 0) return rc;
    if (result != YQ_OK) return result;
    if (w.shard[0] && !broken) {
        memset(&b, 0, sizeof b);
        if ((result = check_head(db, &w, &b)) == YQ_ECONFLICT) keep_first(rep, &b);
        if (result != YQ_OK && result != YQ_ECONFLICT) return result;
        if (strcmp(w.shard, "global") == 0) memcpy(global_head, w.prev, sizeof global_head);
    }
    memset(&b, 0, sizeof b);
    if ((result = check_orphan_heads(db, &b)) == YQ_ECONFLICT) keep_first(rep, &b);
    if (result != YQ_OK && result != YQ_ECONFLICT) return result;
    if (rep->bad_seq) {
        /* What is intact before the first bad entry: every entry of a
         * smaller seq (each shard broke at or after it). */
        int64_t before = 0;
        rc = rows_int(db, &before, "SELECT COUNT(*) FROM audit_log WHERE seq < ?", "i",
                      rep->bad_seq);
        if (rc != YQ_OK) return rc;
        rep->checked = before;
        return YQ_ECONFLICT;
    }
    /* The global shard's head: the one chain of an installation that never
     * wrote a county-scoped entry (SQLite), as before the shards. */
    if (rep->checked > 0) memcpy(rep->head_hash, global_head[0] ? global_head : w.prev,
                                 sizeof rep->head_hash);
    return YQ_OK;
}
