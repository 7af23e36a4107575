/* Throttle rows (table login_throttle): a count and an instant under a
 * key. The keys:
 *   pair:<address>|<username>  failed logins at one account from one address
 *   addr:<address>             failed logins from one address
 *   signup:<address>           sign-ups from one address
 * A failure row keeps its failures and the last one's instant; a sign-up
 * row its count and the start of its window. Keys older than this scheme
 * ("user:…") are never read. */
#ifndef YQ_STORE_THROTTLES_H
#define YQ_STORE_THROTTLES_H

#include "store/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define THROTTLE_KEY_MAX 160

struct throttle_row {
    int count;
    int64_t at; /* ms */
};

enum throttle_kind { THROTTLE_PAIR, THROTTLE_ADDRESS, THROTTLE_SIGNUP };

/* The key of a row. A username longer than 64 bytes (never a real one) is
 * cut there; an address longer than 64 bytes likewise. */
void throttles_key(char out[THROTTLE_KEY_MAX], enum throttle_kind kind, const char *addr,
                   const char *username);
/* Reads a row; a missing row reads as zeros. YQ_OK or an error. */
int throttles_get(struct db *db, const char *key, struct throttle_row *r);
/* Writes a row (inserting it when missing). YQ_OK or an error. */
int throttles_put(struct db *db, const char *key, const struct throttle_row *r);
/* Deletes the failed-login rows of `username` from `addr`, or from every
 * address when addr is NULL; *n counts the rows deleted. */
int throttles_delete_account(struct db *db, const char *username, const char *addr, int64_t *n);
/* Deletes the rows of an address: its own and its sign-ups, and with
 * `with_accounts` also its rows at every account; *n counts them. */
int throttles_delete_address(struct db *db, const char *addr, bool with_accounts, int64_t *n);
/* Rows touched at or after `since`, newest first, at most `limit`, as
 * [{"key", "count", "at"}]; NULL on error. */
json_t *throttles_recent(struct db *db, int64_t since, int64_t limit);

#endif
