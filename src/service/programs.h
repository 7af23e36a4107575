/* Programs (政策方案) and their versioned parameters (SPEC §2). Every
 * parameter change is a new version with who, when and why; a voucher
 * keeps the values it was computed with, so no change reaches back. */
#ifndef YQ_SERVICE_PROGRAMS_H
#define YQ_SERVICE_PROGRAMS_H

#include "core/policy.h"
#include "core/problem.h"
#include "service/actor.h"
#include "store/db.h"

#include <jansson.h>

#define PROGRAM_MAX_TAGS 32
#define PROGRAM_MAX_CRITERIA 12

/* Parameters of one version, parsed. */
struct program_params {
    struct policy policy;
    int vouchers_per_enterprise;
    int notice_working_days;
    bool partial_last;
    /* 适用行业: the GB/T 4754 sections whose enterprises get vouchers, as a
     * string of letters ("CI"); "" means every industry. */
    char eligible_industries[24];
    int32_t window_start_day, window_end_day; /* days since the epoch */
    /* Redemption (SPEC §7): the filing window after each half-year, and the
     * evaluation criteria with integer weights summing to 100. Versions
     * stored before these existed read as 30 days and the default criteria
     * (data/programs/jining-2018.json). */
    int redemption_window_days;
    int ncriteria;
    struct {
        char name[96];
        int weight;
    } criteria[PROGRAM_MAX_CRITERIA];
};

/* Creates a program from its JSON description (a file of data/programs) if
 * no program has its id. `starts_in_year` > 0 shifts the window and the
 * taper so that the program starts on 1 January of that year, under
 * `id_suffix` and a name marking it as a demo. */
int programs_create_from_json(struct db *db, const struct actor *a, const char *json_text,
                              int starts_in_year, struct problem *p);

/* {"items":[program...], "total":N}. NULL with p on error. */
json_t *programs_list(struct db *db, struct problem *p);
/* One program with its current parameters and its version history. */
json_t *programs_get(struct db *db, const char *id, struct problem *p);
/* Applies `changes` (a subset of the parameters) as a new version. */
json_t *programs_update_parameters(struct db *db, const struct actor *a, const char *id,
                                   json_t *changes, const char *reason, struct problem *p);
/* The ratio in force on `date` (YYYY-MM-DD). */
json_t *programs_ratio(struct db *db, const char *id, const char *date, struct problem *p);
/* The current parameters of a program. YQ_OK, YQ_ENOTFOUND, or an error. */
int programs_load_params(struct db *db, const char *id, struct program_params *out,
                         int *version, struct problem *p);
/* The same from the read sent ahead by program_current_params_send (which
 * see), so that the reads between them share its round trip; finalizes it. */
int programs_params_take(struct db_stmt *st, struct program_params *out, int *version,
                         struct problem *p);

/* The program a new contract belongs to: `requested` when given (404-like
 * 422 when unknown), else the newest whose window includes today. */
int programs_current(struct db *db, const char *requested, char out[64], struct problem *p);

/* Checks a complete parameter object and fills *out. YQ_OK or YQ_EINVAL
 * naming the field. */
int program_params_parse(json_t *params, struct program_params *out, struct problem *p);

#endif
