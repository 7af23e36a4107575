/* Public notices (公示, SPEC §7 step 3) and their objections, as typed
 * records; the public read model. Guarded state changes. */
#ifndef YQ_STORE_NOTICES_H
#define YQ_STORE_NOTICES_H

#include "store/db.h"
#include "store/id.h"
#include "store/list_filter.h"
#include "store/scope.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct notice {
    char id[ID_LEN + 1];
    char county_code[16];
    char opens_on[16], close_day[16];
    char notice_no[48]; /* GS-…, store/business_no.h */
    int working_days;
    bool open;
    int64_t created_at, closed_at;
};

struct objection {
    char id[ID_LEN + 1], notice_id[ID_LEN + 1];
    char redemption_id[ID_LEN + 1]; /* "" when it names no item */
    char voucher_code[40];
    bool open;
};

int notice_get(struct db *db, const char *id, struct notice *out);
int notice_insert(struct db *db, const struct notice *n, const char *by);
/* open → closed, guarded. */
int notice_close(struct db *db, const char *id, const char *by, int64_t at);
/* Puts an approved application on the notice (approved → in_notice),
 * takes one off (in_notice → `to`, notice cleared), or closes it with the
 * notice (in_notice → noticed); guarded on the state. */
int notice_add_redemption(struct db *db, const char *notice_id, const char *redemption_id,
                          int64_t at);
int notice_remove_redemption(struct db *db, const char *redemption_id, const char *to, int64_t at);
int notice_close_redemptions(struct db *db, const char *notice_id, int64_t at, int64_t *n);
/* Open objections of a notice. */
int notice_open_objections(struct db *db, const char *notice_id, int64_t *n);
/* The applications still on the notice (an upheld objection or a
 * rejection takes one off). */
int notice_items_count(struct db *db, const char *notice_id, int64_t *n);
/* The application holding a voucher code on a notice: YQ_OK, YQ_ENOTFOUND. */
int notice_redemption_of_code(struct db *db, const char *notice_id, const char *code,
                              char redemption_id[ID_LEN + 1]);
int objection_insert(struct db *db, const struct objection *o, const char *name,
                     const char *contact, const char *text, const char *client_addr, int64_t at);
/* Objections filed from an address since `since`. */
int objections_from(struct db *db, const char *client_addr, int64_t since, int64_t *n);
int objection_get(struct db *db, const char *id, struct objection *out);
/* open → dismissed or upheld with the public resolution, guarded; an
 * objection that named no item records the one the resolution names
 * (NULLs leave it). */
int objection_resolve(struct db *db, const char *id, const char *status, const char *resolution,
                      const char *by, int64_t at, const char *redemption_id, const char *code);

/* Read models. `public_view` leaves out the objectors' names and contacts. */
/* `f` (NULL = none): q over the providers of its applications (name or
 * USCC), county, status, from/to on the opening day; `period`: it holds an
 * application of that half-year. */
json_t *notices_page(struct db *db, const struct row_scope *s, const struct list_filter *f,
                     const char *period, int64_t offset, int64_t limit);
json_t *notice_view(struct db *db, const char *id, bool public_view);
/* Open notices of a scope (for counts). */
int notices_open_objections_count(struct db *db, const struct row_scope *s, int64_t *n);

#endif
