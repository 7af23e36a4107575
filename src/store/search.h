/* The global search of the header (issue 11): at most `limit` records of
 * each kind whose known code or name matches, within the caller's scope. */
#ifndef YQ_STORE_SEARCH_H
#define YQ_STORE_SEARCH_H

#include "store/db.h"
#include "store/scope.h"

#include <jansson.h>
#include <stdint.h>

/* Each returns an array of {id, code, title, status, …} (NULL on error).
 * `q` is matched anywhere (LIKE, escaped) in the fields named. */
/* Vouchers by 券号 or the holder's USCC. */
json_t *search_vouchers(struct db *db, const struct row_scope *s, const char *q, int64_t limit);
/* Contracts by contract number or the enterprise's USCC. */
json_t *search_contracts(struct db *db, const struct row_scope *s, const char *q, int64_t limit);
/* Enterprises by name or USCC (county officials: their counties; an
 * enterprise: itself; a provider: none). */
json_t *search_enterprises(struct db *db, const struct row_scope *s, const char *q, int64_t limit);
/* Providers by name or USCC (officials: all; a provider: itself; an
 * enterprise: none). */
json_t *search_providers(struct db *db, const struct row_scope *s, const char *q, int64_t limit);

#endif
