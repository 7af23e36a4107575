/* Vouchers (云服务券, SPEC §5) as typed records, their serial numbers, and
 * the read model of the voucher pages. State changes are guarded writes:
 * the row changes only if it is still in the state the caller read inside
 * the same transaction (YQ_ECONFLICT otherwise). */
#ifndef YQ_STORE_VOUCHERS_H
#define YQ_STORE_VOUCHERS_H

#include "core/voucher_state.h"
#include "store/db.h"
#include "store/id.h"
#include "store/list_filter.h"
#include "store/scope.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* The random part of the public verification link (96 bits, hex). */
#define VOUCHER_TOKEN_LEN 24

struct voucher {
    char id[ID_LEN + 1];
    char code[40];
    char program_id[64];
    char contract_id[ID_LEN + 1], enterprise_id[ID_LEN + 1], provider_id[ID_LEN + 1];
    char county_code[16];
    int issue_year;
    int64_t issued_at;
    int64_t amount_fen, redeemed_fen;
    int64_t clawed_back_fen; /* paid, then recovered (追回): no longer claimable */
    enum voucher_state state;
    char service_end[16];
    int64_t closed_at; /* 0 while live */
    char verify_token[VOUCHER_TOKEN_LEN + 1];
};

/* YQ_OK, YQ_ENOTFOUND, or an error. */
int voucher_get(struct db *db, const char *id, struct voucher *out);
int voucher_get_by_contract(struct db *db, const char *contract_id, struct voucher *out);
/* Inserts a new voucher with its calculation trace (JSON text). This and
 * voucher_close keep the counters of store/stats.h in the same
 * transaction. */
int voucher_insert(struct db *db, const struct voucher *v, const char *calc_json);
/* Closes a live voucher: `from` → terminated or expired, guarded by `from`
 * (and, for expiry, by no filed claim still open on it); YQ_ECONFLICT when
 * the guard holds it back, nothing written. */
int voucher_close(struct db *db, const char *id, enum voucher_state from, enum voucher_state to,
                  int64_t at, const char *reason);
/* The next serial of a county and year (voucher codes). */
int voucher_next_serial(struct db *db, const char *county, int year, int64_t *serial);
/* The same after the caller read the last one in this transaction (`row`
 * false: none yet): written guarded by it. */
int voucher_serial_after(struct db *db, const char *county, int year, bool row, int64_t last,
                         int64_t *serial);
/* What deciding a confirmation's voucher reads, in one statement of the
 * deciding transaction: how many vouchers of the program the enterprise
 * holds that count as enjoyed (单个企业只享受一次: live ones, or closed ones
 * with something redeemed) and how many of its applications wait in the
 * program's queues, what the county's pool of `year` (account `pool`) can give
 * (pool_open false: no such account yet), whether anyone waits in the
 * county's queue, and the county's last voucher serial of the year. */
struct voucher_issue_reads {
    int64_t enjoyed, queued, available, last_serial;
    bool pool_open, county_waits, serial_row;
};
int vouchers_issue_reads(struct db *db, const char *enterprise_id, const char *program_id,
                         const char *county, int year, const char *pool,
                         struct voucher_issue_reads *out);

/* Ids of vouchers: malloc'd array of `*n` ids (free it). */
struct voucher_ids {
    char (*id)[ID_LEN + 1];
    size_t n;
};
void voucher_ids_free(struct voucher_ids *ids);
/* Vouchers due for expiry: issued or partly redeemed, service period ended
 * before `cutoff` (YYYY-MM-DD), and no claim filed that is still open. */
int vouchers_due(struct db *db, const char *cutoff, struct voucher_ids *out);
/* Live vouchers whose enterprise or provider holds this USCC. */
int vouchers_live_of_uscc(struct db *db, const char *uscc, struct voucher_ids *out);

/* Read model: a page in scope (NULL on error); one voucher in scope with
 * its "calc_json" (YQ_OK, YQ_ENOTFOUND, or an error); the public view by
 * code. */
json_t *vouchers_page(struct db *db, const struct row_scope *s, const struct list_filter *f,
                      int64_t offset, int64_t limit);
int voucher_view(struct db *db, const struct row_scope *s, const char *id, json_t **out);
/* The public view of a voucher (what its QR link shows): the voucher and
 * the names of its holder, provider, county and program. */
struct voucher_public {
    char code[40];
    int64_t amount_fen, redeemed_fen, clawed_back_fen, issued_at;
    int issue_year;
    enum voucher_state state;
    char service_end[16];
    char verify_token[VOUCHER_TOKEN_LEN + 1];
    char holder[512], provider_name[512], county_name[128], program_name[512];
};
/* YQ_OK, YQ_ENOTFOUND, or an error (also for a stored state not known or
 * a name too long for its field: never a shortened name). */
int voucher_public_get(struct db *db, const char *code, struct voucher_public *out);
/* Counts one hit of `key` in a window of `window_ms` starting at its first
 * hit; *hits is the count including this one. */
int public_throttle_hit(struct db *db, const char *key, int64_t now, int64_t window_ms,
                        int64_t *hits);

#endif
