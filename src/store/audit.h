/* The audit chain (SPEC §10). Every change appends an entry in the same
 * transaction as the change: who, when, what, values before and after, the
 * request id and client address. Each entry's hash covers the previous
 * entry's hash and the entry's canonical form, so altering or deleting any
 * row breaks the chain from that row on. audit_head keeps the last seq and
 * hash so that cutting rows off the end is caught too. */
#ifndef YQ_STORE_AUDIT_H
#define YQ_STORE_AUDIT_H

#include "store/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Who is acting, and through which request. Fields may be NULL (the
 * command line has no request; the system has no account). */
struct audit_actor {
    const char *user_id;
    const char *username;
    const char *role;
    const char *request_id;
    const char *client_addr;
};

/* Within one use case's transaction, between audit_defer_begin and
 * audit_defer_end (this thread), the chain's head is read by the first
 * entry only and written once, by audit_defer_end when `rc` is YQ_OK (it
 * returns the write's status, or `rc`). Always pair them; nothing in
 * between may read audit_heads. On PostgreSQL the begin sends the head's
 * read of the transaction's shard ahead (db_send_ahead), to travel with
 * the use case's first read. */
void audit_defer_begin(struct db *db);
int audit_defer_end(struct db *db, int rc);

/* The group commit's writer (service/group.c) keeps the head of
 * audit_defer_end from one use case to the next of its group: begin after
 * the group's BEGIN, audit_group_job after each use case (released: its
 * savepoint was released; a rolled-back one forgets the head), end after
 * the group's COMMIT or failure. An entry appended outside
 * audit_defer_begin/end forgets it too. */
void audit_group_begin(void);
void audit_group_job(bool released);
void audit_group_end(void);

/* Appends one entry; must run inside a writing transaction. `before` and
 * `after` are borrowed (NULL for none). Returns YQ_OK or a negative status. */
int audit_append(struct db *db, const struct audit_actor *who, const char *entity,
                 const char *entity_id, const char *action, json_t *before, json_t *after);

struct audit_report {
    int64_t checked;    /* entries verified */
    int64_t bad_seq;    /* first entry that does not match, 0 if none */
    char reason[256];   /* why, in plain words (Chinese) */
    char head_hash[65]; /* hash of the last entry verified ("" when none) */
};

/* Recomputes the whole chain. YQ_OK when intact; YQ_ECONFLICT with the
 * report filled when not; another negative status on a database error. */
int audit_verify(struct db *db, struct audit_report *report);

/* The sequence number of the chain's last entry (0 when empty). */
int audit_last_seq(struct db *db, int64_t *out);
/* Entries after `after_seq` of one entity type and action. */
int audit_count_since(struct db *db, int64_t after_seq, const char *entity, const char *action,
                      int64_t *out);

struct audit_filter {
    const char *entity;
    const char *entity_id; /* one record's entries */
    const char *actor;     /* username */
    /* A record's id or business code (contract number, voucher code,
     * USCC, username), exactly: that record's entries. */
    const char *code;
    int64_t from_ms, to_ms; /* 0 = open */
    int64_t offset, limit;
};

/* {"items":[...], "total":N}, newest first; NULL on error. Each item
 * carries entity_code and entity_label: the record's business code
 * (contract number, voucher code, USCC, username…) and its name, read in
 * one query for the whole page (null where the record has none). */
json_t *audit_list(struct db *db, const struct audit_filter *f);

#endif
