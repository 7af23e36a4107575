/* County targets, performance scores and the completion figures (SPEC §9,
 * issue 10): what city_it sets per county and year, and the counts behind
 * the completion report and the award measures. Every target change is a
 * new version (who, when, why); the current one is the highest. */
#ifndef YQ_STORE_TARGETS_H
#define YQ_STORE_TARGETS_H

#include "store/db.h"
#include "store/scope.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct county_target {
    int64_t version;          /* 0 when the county has none for the year */
    int64_t target;           /* enterprises to bring on the cloud that year */
    int64_t enterprise_count; /* all enterprises of the county; -1 unknown */
};

/* 2018's targets (附件3, counties.target_2018) as version 1 of every
 * county that has no 2018 target yet. YQ_OK or an error. */
int targets_seed_2018(struct db *db, int64_t now_ms);

/* The current target of a county for a year (version 0 when none). YQ_OK
 * or an error: a failed read is never "none". */
int targets_current(struct db *db, const char *county, int year, struct county_target *out);
/* Inserts version t->version; YQ_ECONFLICT when that version exists. */
int targets_insert(struct db *db, const char *county, int year, const struct county_target *t,
                   const char *reason, const char *by, int64_t now_ms);

/* One row per county in scope: county_code, county_name, target,
 * enterprise_count, version, reason, set_by, set_at (null when none).
 * NULL on error. */
json_t *targets_year(struct db *db, const struct row_scope *s, int year);

/* A county's performance score for a year in hundredths (-1 when none). */
int scores_get(struct db *db, const char *county, int year, int64_t *out);
/* Sets it (insert or update; one row changed). */
int scores_set(struct db *db, const char *county, int year, int64_t hundredths, const char *note,
               const char *by, int64_t now_ms);
/* One row per county in scope: county_code, county_name, score_hundredths,
 * note, set_by, set_at (null when none). NULL on error. */
json_t *scores_year(struct db *db, const struct row_scope *s, int year);

/* One row per county in scope with the counts of the completion report:
 * county_code, county_name, target, enterprise_count (null when unknown),
 * new_on_cloud (enterprises whose first confirmed contract with catalog
 * services falls in [from_ms, to_ms)), on_cloud_total (by to_ms),
 * vouchers and voucher_amount_fen (issued in the year, not terminated or
 * expired), reserved_fen (still held in the year's pool), paid_h1_fen and
 * paid_h2_fen (paid less clawed back for the year's half-year periods),
 * waitlist_count (the county's queue). NULL on error. */
json_t *targets_completion(struct db *db, const struct row_scope *s, int year, int64_t from_ms,
                           int64_t to_ms);

#endif
