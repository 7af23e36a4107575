/* Typed records of the parties a voucher joins (enterprise, provider) and
 * the facts that decide their standing (SPEC §5 step 1, §8): review status
 * and the negative list. */
#ifndef YQ_STORE_STANDING_H
#define YQ_STORE_STANDING_H

#include "core/registration.h"
#include "store/db.h"
#include "store/id.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum party_kind { PARTY_ENTERPRISE, PARTY_PROVIDER };

struct party {
    enum party_kind kind;
    char id[ID_LEN + 1];
    char user_id[ID_LEN + 1];
    char uscc[24];
    char name[512];
    char county_code[16]; /* "" for providers */
    enum reg_state state;
    /* 两化融合 certificate (enterprises; "" when none). */
    char cert_no[256];
    char cert_valid_from[16], cert_valid_until[16];
    char industry[4]; /* GB/T 4754 section of an enterprise; "" when not given */
};

/* One party by id, or by its account. YQ_OK, YQ_ENOTFOUND, or an error. */
int party_load(struct db *db, enum party_kind kind, const char *id, struct party *out);
int party_load_by_user(struct db *db, enum party_kind kind, const char *user_id, struct party *out);
/* Whether the USCC has an active (not lifted) negative-list entry. YQ_OK
 * with *listed set, or an error (never "not listed" on a failed read). */
int negative_list_listed(struct db *db, const char *uscc, bool *listed);
/* The same for the two parties of a contract, in one statement. */
int negative_list_listed_pair(struct db *db, const char *uscc_a, const char *uscc_b, bool *a,
                              bool *b);
/* The same by the parties' ids (their USCCs as the transaction sees them),
 * in two halves, so that the reads between them share its round trip
 * (db_send_ahead): the read, sent (NULL on error); then the answer, which
 * finalizes it (a NULL read is an error). */
struct db_stmt *negative_list_parties_send(struct db *db, const char *enterprise_id,
                                           const char *provider_id);
int negative_list_parties_take(struct db_stmt *st, bool *enterprise, bool *provider);

/* The registered name of whoever holds a USCC (enterprise or provider):
 * YQ_OK, YQ_ENOTFOUND, or an error. */
int party_name_of_uscc(struct db *db, const char *uscc, char *name, size_t n);
/* A negative-list entry as a row; YQ_OK, YQ_ENOTFOUND, or an error. */
int negative_list_entry(struct db *db, const char *id, json_t **out);
/* Lifts an entry that is still active (guarded: YQ_ECONFLICT when it was
 * lifted meanwhile). */
int negative_list_lift_entry(struct db *db, const char *id, int64_t at, const char *by,
                             const char *reason);

#endif
