/* Contracts (SPEC §5) as typed records: read, written and moved between
 * states only through guarded writes whose changed-row count is checked.
 * All functions run inside the caller's transaction. */
#ifndef YQ_STORE_CONTRACTS_H
#define YQ_STORE_CONTRACTS_H

#include "core/contract_state.h"
#include "store/db.h"
#include "store/id.h"
#include "store/list_filter.h"
#include "store/scope.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct contract {
    char id[ID_LEN + 1];
    char program_id[64];
    char enterprise_id[ID_LEN + 1], provider_id[ID_LEN + 1];
    char county_code[16];
    char contract_no[260];
    char signed_on[16], service_start[16], service_end[16];
    int64_t total_fen, base_fen;
    enum contract_state state;
    char drafted_by_role[24], drafted_by[72];
    int64_t confirmed_at, closed_at; /* 0 when not yet */
    char confirmed_by[72], closed_by[72];
    char close_reason[1600];
    int64_t created_at, updated_at;
};

struct contract_line {
    char catalog_item_id[ID_LEN + 1]; /* "" for a free-text line */
    int64_t catalog_version;
    char description[1024];
    int64_t quantity;
    char unit[64];
    int64_t unit_price_fen, amount_fen;
};

/* A published catalog item as a contract line refers to it. */
struct catalog_ref {
    char id[ID_LEN + 1], provider_id[ID_LEN + 1];
    bool published;
    int64_t version;
    char name[1024], unit[64];
    int64_t list_price_fen;
    char valid_from[16], valid_until[16]; /* the version's 有效期, YYYY-MM-DD */
};

/* YQ_OK, YQ_ENOTFOUND, or an error. */
int contract_get(struct db *db, const char *id, struct contract *out);
/* Inserts the contract and its lines (numbered from 1). */
int contract_insert(struct db *db, const struct contract *c, const struct contract_line *lines,
                    size_t n);
/* draft → confirmed, guarded: YQ_ECONFLICT when the contract is no longer a
 * draft. Both this and contract_close keep the enterprise's row of
 * enterprise_on_cloud (the instant it came on the cloud in the county) in
 * the same transaction. */
/* Confirms `draft` (read in this transaction), guarded by its state. */
int contract_confirm(struct db *db, const struct contract *draft, int64_t at, const char *by);
/* from → to (cancelled or terminated), guarded by `from`. */
int contract_close(struct db *db, const char *id, enum contract_state from, enum contract_state to,
                   int64_t at, const char *by, const char *reason);
/* The county of contract `id` read outside any transaction, to choose the
 * lock of the one that changes it; "" when there is none, when it is not
 * its enterprise's county any more, or when the read failed: the change
 * then takes the whole database's lock. */
void contract_county(struct db *db, const char *id, char *out, size_t n);
/* The latest confirmation instant of a county's contracts (0 when none):
 * 先到先补 orders each county's queue, and is decided under that county's
 * lock (db_begin_scoped). In two halves, so that the reads between them
 * share its round trip (db_send_ahead): the read, sent (NULL on error);
 * then its answer, which finalizes it (a NULL read is an error). */
struct db_stmt *contracts_last_confirmed_send(struct db *db, const char *county);
int contracts_last_confirmed_take(struct db_stmt *st, int64_t *out);
/* The published version of a catalog item: YQ_ENOTFOUND when there is no
 * such item (an unpublished one is returned with published false). */
int contract_catalog_ref(struct db *db, const char *item_id, struct catalog_ref *out);

/* Attachments: adds one (*added false when the same file was there). */
int contract_attachment_add(struct db *db, const char *contract_id, const char *sha256,
                            const char *filename, const char *content_type, int64_t size,
                            const char *by, int64_t at, bool *added);
int contract_attachment_get(struct db *db, const char *contract_id, const char *sha256,
                            char content_type[64], char filename[256]);

/* Read model for the contract page: {"enterprise_name", "provider_name",
 * "county_name", "lines", "attachments", "voucher", "waitlist"}; NULL on
 * error. */
json_t *contract_view(struct db *db, const struct contract *c);
/* What a confirmation does not hold of that model: "county_name",
 * "lines" and "attachments", set on o. YQ_OK, or an error. */
int contract_view_documents(struct db *db, const struct contract *c, json_t *o);
/* A page of contracts in scope, newest first; NULL on error. */
json_t *contracts_page(struct db *db, const struct row_scope *s, const struct list_filter *f, int64_t offset,
                       int64_t limit);
/* The contract as a JSON object with the table's names. */
json_t *contract_json(const struct contract *c);

#endif
