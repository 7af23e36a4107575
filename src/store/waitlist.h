/* The county waitlist (先到先补, SPEC §5): one queue per county and
 * program, across years, in confirmation order. Positions are unique per
 * queue (a UNIQUE index backs it). State changes are guarded writes on
 * status = 'waiting'. */
#ifndef YQ_STORE_WAITLIST_H
#define YQ_STORE_WAITLIST_H

#include "core/contract_state.h"
#include "store/db.h"
#include "store/list_filter.h"
#include "store/id.h"
#include "store/scope.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct waitlist_entry {
    char id[ID_LEN + 1];
    char contract_id[ID_LEN + 1], program_id[64], enterprise_id[ID_LEN + 1];
    char county_code[16];
    int year;           /* of the confirmation */
    int64_t amount_fen; /* fixed at confirmation */
    int64_t confirmed_at;
    int64_t position; /* in its queue (county, program) */
    enum waitlist_state state;
};

/* Inserts a waiting application at the end of its queue; sets e->position. */
/* Appends e at the end of its queue (sets e->position) and counts it in
 * the queue's waiting count; *ahead is how many waited before it. */
int waitlist_insert(struct db *db, struct waitlist_entry *e, const char *calc_json,
                    int64_t *ahead);
/* How many wait in the queue of (county, program). */
int waitlist_waiting_in_queue(struct db *db, const char *county, const char *program, int64_t *n);
/* Every application waiting in a county (all programs) in confirmation
 * order: a malloc'd array of *n entries (free it). */
int waitlist_county_queue(struct db *db, const char *county, struct waitlist_entry **out,
                          size_t *n);
/* Waiting applications whose enterprise or provider (through the
 * contract) holds this USCC; or of one contract. Malloc'd arrays. */
int waitlist_waiting_of_uscc(struct db *db, const char *uscc, struct waitlist_entry **out,
                             size_t *n);
int waitlist_waiting_of_contract(struct db *db, const char *contract_id,
                                 struct waitlist_entry **out, size_t *n);
/* Every waiting application of a program, all counties (malloc'd). */
int waitlist_waiting_of_program(struct db *db, const char *program, struct waitlist_entry **out,
                                size_t *n);
/* The application's calculation trace (malloc'd JSON text; free it). */
int waitlist_calc(struct db *db, const char *id, char **calc_json);
/* waiting → cancelled (left the queue) or lapsed, with the reason. */
int waitlist_leave(struct db *db, const char *id, enum waitlist_state to, int64_t at,
                   const char *reason);
/* waiting → served by voucher `voucher_id`. */
int waitlist_served(struct db *db, const char *id, int64_t at, const char *voucher_id);
/* The applications in scope, by place in their queue; NULL on error.
 * `year` 0 for all. `f`: q over the enterprise's name or USCC and the
 * contract number, county, status (NULL: the waiting ones), from/to on the
 * contract's confirmation. */
json_t *waitlist_page(struct db *db, const struct row_scope *s, const struct list_filter *f,
                      int year, int64_t offset, int64_t limit);
/* JSON of an entry with the table's names. */
json_t *waitlist_json(const struct waitlist_entry *e);

#endif
