/* Targets per county and year, the completion report, and the
 * performance scores of the assessment (SPEC §9, issue 10). city_it sets
 * targets, enterprise counts and scores; officials read them in scope. */
#ifndef YQ_SERVICE_TARGETS_H
#define YQ_SERVICE_TARGETS_H

#include "core/problem.h"
#include "service/actor.h"
#include "store/db.h"
#include "store/scope.h"

#include <jansson.h>
#include <stdint.h>

/* The plan's goal: 5,000 enterprises on the cloud by the end of 2020. */
#define TARGETS_PLAN_2020 5000

/* The year in China time, as instants [from_ms, to_ms). */
void targets_year_bounds(int year, int64_t *from_ms, int64_t *to_ms);

/* {"year", "items":[county, target, enterprise_count, version, reason,
 * set_by, set_at]} for the counties in the actor's scope; NULL + p. */
json_t *county_targets_get(struct db *db, const struct actor *a, int year, struct problem *p);
/* Sets targets for a year, body {"reason", "items":[{"county_code",
 * "target", "enterprise_count"}]}: a new version for each county whose
 * values change, audited, in one transaction. Returns the year's targets. */
json_t *county_targets_put(struct db *db, const struct actor *a, int year, json_t *body,
                           struct problem *p);

/* The completion report: per county in scope, the counts of
 * targets_completion (store/targets.h) with completion_bp (new on the
 * cloud ÷ target, null without a target), share_bp (on the cloud so far ÷
 * the county's enterprises, null when unknown) and paid_fen; "totals" for
 * the city (or the counties in scope) and plan_2020. */
json_t *reports_completion(struct db *db, const struct actor *a, int year, struct problem *p);
/* The same rows for every county, read inside the caller's transaction
 * (the award preview and posting use them). YQ_OK or an error. */
int completion_rows(struct db *db, const struct row_scope *s, int year, json_t **out);
/* The whole report ({"items", "total", "totals"}, without "year") for the
 * counties of `s`, read inside the caller's transaction (the dashboards
 * use it, so their figures are the report's). YQ_OK or an error; *out is
 * the caller's to free either way. */
int completion_report(struct db *db, const struct row_scope *s, int year, json_t **out);

/* {"year", "items":[county, score_hundredths, note, set_by, set_at]}. */
json_t *assessment_get(struct db *db, const struct actor *a, int year, struct problem *p);
/* body {"items":[{"county_code", "score_hundredths" 0..10000, "note"}]}:
 * each changed score written and audited, in one transaction. */
json_t *assessment_put(struct db *db, const struct actor *a, int year, json_t *body,
                       struct problem *p);

#endif
