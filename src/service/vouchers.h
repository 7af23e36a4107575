/* Vouchers (云服务券, SPEC §5): issued automatically in the transaction
 * that confirms a contract, reserved from the county pool of the issue
 * year (SPEC §6), or queued on the county waitlist and served strictly in
 * confirmation order (先到先补) when money comes free. Every function that
 * writes runs inside the caller's writing transaction (service/tx.h). */
#ifndef YQ_SERVICE_VOUCHERS_H
#define YQ_SERVICE_VOUCHERS_H

#include "core/problem.h"
#include "service/actor.h"
#include "service/programs.h"
#include "store/contracts.h"
#include "store/db.h"
#include "store/standing.h"
#include "store/vouchers.h"
#include "store/waitlist.h"

#include <jansson.h>

/* What confirming a contract did about its voucher. */
struct issue_outcome {
    json_t *voucher;  /* the issued voucher, or NULL */
    json_t *waitlist; /* the waitlist entry, or NULL */
    char refusal_code[48];
    char refusal[256]; /* why no voucher, in Chinese ("" when issued or queued) */
};

/* Inside the confirming transaction, after the caller found both parties
 * (ent, prov, read in this transaction) approved and off the negative
 * list: checks the rest of the eligibility, computes the amount with its
 * trace, and reserves it or queues the application. Returns YQ_OK
 * (whatever the outcome) or a database error. */
int vouchers_issue_for_contract(struct db *db, const struct actor *a, const struct contract *c,
                                const struct party *ent, const struct party *prov,
                                const struct program_params *params, int version,
                                struct issue_outcome *out);
void issue_outcome_clear(struct issue_outcome *o);

/* Money came to a county's pool of `year` (funding, a void) or the head
 * of the queue left: serves the county's waitlist, in confirmation order
 * across years, from that pool. Applications whose contract or parties
 * lost their standing leave the queue with the reason; they are not
 * skipped over. */
int vouchers_serve_waitlist(struct db *db, const struct actor *a, const char *county, int year);

/* Closes a live voucher read in this transaction: terminated or expired,
 * guarded by its state (YQ_ECONFLICT when it was no longer live), voids
 * what is still reserved and serves the waitlist with it. */
int vouchers_close(struct db *db, const struct actor *a, const struct voucher *v,
                   enum voucher_state to, const char *reason);
/* Takes the waiting applications out of the queue (cancelled, with the
 * reason) and serves whoever is next. */
int vouchers_leave_queue(struct db *db, const struct actor *a, struct waitlist_entry *e, size_t n,
                         const char *reason);

/* Reads. */
json_t *vouchers_list(struct db *db, const struct actor *a, const struct list_filter *f,
                      int64_t offset, int64_t limit, struct problem *p);
json_t *vouchers_read(struct db *db, const struct actor *a, const char *id, struct problem *p);
/* The public verification view (SPEC §5). With the QR code's token it is
 * answered at once; a code alone is throttled per address
 * (VERIFY_PER_HOUR), so that codes cannot be enumerated. The voucher is
 * read from `read` (a replica may serve it, a little behind); the
 * throttle's count is written to `db`. */
#define VERIFY_PER_HOUR 30
/* Its answer: the voucher with the holder's name masked and the link's
 * token removed. YQ_OK, or a status with p set. */
struct voucher_public_answer {
    struct voucher_public v;
    int64_t remaining_fen; /* what may still be redeemed: 0 unless live */
    bool by_qr;            /* the link's token matched */
};
int vouchers_public(struct db *db, struct db *read, const char *code, const char *token,
                    const char *client_addr, struct voucher_public_answer *out,
                    struct problem *p);
json_t *vouchers_waitlist(struct db *db, const struct actor *a, const struct list_filter *f,
                          int year, int64_t offset, int64_t limit, struct problem *p);
/* The voucher's public page as an SVG QR code. */
char *vouchers_qr_svg(struct db *db, const struct actor *a, const char *id,
                      const char *public_base_url, struct problem *p);

/* Expires vouchers whose service period plus `grace_days` has passed with
 * nothing claimed, each in its own transaction that re-reads it. Returns
 * how many, or a negative status. */
/* POST /programs/{id}/waitlist/close (city_it): after the program's window
 * ends, every application of its queues still waiting lapses with the
 * reason. {"program_id","lapsed":N,"reason"}; 409 while the window runs. */
json_t *vouchers_close_waitlist(struct db *db, const struct actor *a, const char *program,
                                const char *reason, struct problem *p);
int vouchers_expire_due(struct db *db, const struct actor *a, int grace_days);

#endif
