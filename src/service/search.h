/* The header's global search (issue 11): staff answering a phone enquiry
 * find a voucher by 券号, a contract by its number, a company by USCC or
 * part of its name, within what they may see. */
#ifndef YQ_SERVICE_SEARCH_H
#define YQ_SERVICE_SEARCH_H

#include "core/problem.h"
#include "service/actor.h"
#include "store/db.h"

#include <jansson.h>

#define SEARCH_PER_KIND 10

/* {"q", "groups":[{"kind":"voucher"|"contract"|"enterprise"|"provider",
 * "label", "items":[{id, code, title, status, …}], "more":bool}]}; q must
 * have at least 2 characters (422 otherwise). NULL with *p set on error. */
json_t *search_records(struct db *db, const struct actor *a, const char *q, struct problem *p);

#endif
