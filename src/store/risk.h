/* The reads behind the risk signals on a contract (service/risk.c): what
 * its enterprise and provider have in common, and how many contracts a
 * provider signed in a window. */
#ifndef YQ_STORE_RISK_H
#define YQ_STORE_RISK_H

#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

/* Contact details an enterprise and a provider both registered. */
struct risk_shared_contacts {
    bool phone, email; /* the same non-empty value on both */
};
/* Compares the enterprise's and the provider's contacts. YQ_OK with *out,
 * YQ_ENOTFOUND when either is missing, or an error. */
int risk_shared_contacts(struct db *db, const char *enterprise_id, const char *provider_id,
                         struct risk_shared_contacts *out);
/* The number of contracts the provider created in (after, until]. YQ_OK
 * with *n, or an error. */
int risk_provider_contracts(struct db *db, const char *provider_id, int64_t after, int64_t until,
                            int64_t *n);

#endif
