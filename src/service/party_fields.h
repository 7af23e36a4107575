/* The fields of an enterprise or provider profile: how each is checked
 * when edited, what submission requires, and how a record is shown. */
#ifndef YQ_SERVICE_PARTY_FIELDS_H
#define YQ_SERVICE_PARTY_FIELDS_H

#include "core/problem.h"
#include "service/parties.h"
#include "store/db.h"

#include <jansson.h>

/* Checks `changes` (request fields) and writes the column values to
 * `columns`. YQ_OK or YQ_EINVAL naming the field. */
int party_fields_check(enum party_kind kind, json_t *changes, json_t *columns,
                       struct problem *p);
/* Key-industry tags must come from a program's list (the city's "10 大重点
 * 产业" and "9+6" lists are program configuration). */
int party_fields_check_tags(struct db *db, json_t *tags, struct problem *p);
/* Whether the stored record is complete enough to submit. */
int party_fields_complete(enum party_kind kind, json_t *record, struct problem *p);
/* The API view of a stored record (columns → fields). */
json_t *party_fields_render(enum party_kind kind, json_t *record);
/* The public view of an approved provider: no contact or bank details. */
json_t *party_fields_public_provider(json_t *record);

#endif
