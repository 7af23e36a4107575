/* 考核与奖补 records (SPEC §9, issue 10): award allocations (the city's pool
 * for a year and the weights of the measures), the shares they posted, and
 * benchmark enterprises / experience centres with their awards. */
#ifndef YQ_STORE_AWARDS_H
#define YQ_STORE_AWARDS_H

#include "core/award.h"
#include "store/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct award_allocation {
    char id[64];
    int year;
    int64_t pool_fen;
    int64_t weight[AWARD_MEASURES];
    char reference[200];
    bool posted;
};

/* Reads one allocation (id may point into *out). YQ_OK, YQ_ENOTFOUND or
 * an error; *out is left alone unless YQ_OK. */
int awards_get(struct db *db, const char *id, struct award_allocation *out);
/* Inserts a draft. YQ_OK or an error. */
int awards_insert(struct db *db, const struct award_allocation *a, const char *by, int64_t now_ms);
/* Rewrites a draft's pool, weights and reference: a guarded write
 * (YQ_ECONFLICT unless it is still a draft). */
int awards_update_draft(struct db *db, const struct award_allocation *a, const char *by,
                        int64_t now_ms);
/* Marks a draft posted (YQ_ECONFLICT unless it is still a draft). */
int awards_mark_posted(struct db *db, const char *id, const char *by, int64_t now_ms);
/* Stores one county's posted share (measures_json borrowed). */
int awards_share_insert(struct db *db, const char *id, const char *county, json_t *measures,
                        int64_t score, int64_t share_fen, const char *transfer_id);
/* The posted shares of an allocation, by county code; NULL on error. */
json_t *awards_shares(struct db *db, const char *id);
/* {"items":[allocations newest first], "total":N}, of a year when year > 0. */
json_t *awards_list(struct db *db, int year);
/* One allocation as a row; YQ_OK, YQ_ENOTFOUND or an error. */
int awards_row(struct db *db, const char *id, json_t **out);

/* Benchmark enterprises (标杆企业) and experience centres (体验中心). */
int awards_recipient_insert(struct db *db, json_t *row);
/* The row, YQ_ENOTFOUND or an error. */
int awards_recipient_get(struct db *db, const char *id, json_t **out);
/* recorded → paid, guarded (YQ_ECONFLICT when it is no longer recorded). */
int awards_recipient_mark_paid(struct db *db, const char *id, const char *reference, const char *by,
                               int64_t now_ms);
json_t *awards_recipients_list(struct db *db, int year);

/* Ledger check (SPEC §6) for the awards: a posted allocation's shares sum
 * to its pool and each share is booked by its transfer; a paid recipient's
 * account holds its award. Appends breaches; YQ_OK or an error. */
int awards_check(struct db *db, json_t *breaches);

#endif
