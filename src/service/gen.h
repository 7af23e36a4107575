/* The province-scale data generator behind `yunquan gen` (issue 10): a
 * realistic, deterministic data set for benchmarks. Counties of up to 16
 * Shandong cities under the one program (济经信字〔2018〕11号: the schema
 * keeps counties without a city column and one waitlist per county and
 * program), approved providers with published catalog items, enterprises
 * in every registration state, county budgets funded per pool, contracts
 * confirmed in time order so that vouchers run out and the waitlist
 * fills, and redemptions filed, evaluated, reviewed, noticed and paid for
 * every half-year. Parties and accounts are written through the store;
 * budgets, contracts, vouchers, the waitlist and redemptions through the
 * use cases, batched many to a transaction (they nest as savepoints), so
 * the ledger and the audit log are what real use leaves. Ids, tokens and
 * time come from the seed (core/prng.h, a clock source), so one seed gives
 * one database. Generated accounts have no password (set one with
 * `yunquan user passwd`). */
#ifndef YQ_SERVICE_GEN_H
#define YQ_SERVICE_GEN_H

#include "core/problem.h"
#include "store/db.h"

#include <stdint.h>

#define GEN_MAX_CITIES 16
#define GEN_MAX_ENTERPRISES 900000

struct gen_county {
    const char *code, *name, *kind;
};
struct gen_city {
    const char *code, *name;
    const struct gen_county *counties; /* NULL-terminated; NULL: data/ (Jining) */
};
/* Jining first, then the other prefecture-level cities (gen_places.c). */
extern const struct gen_city gen_cities[GEN_MAX_CITIES];

/* Called as work advances: the stage's Chinese name, units done and the
 * stage's total. */
typedef void (*gen_progress_fn)(void *ctx, const char *stage, int64_t done, int64_t total);

struct gen_options {
    int cities;          /* 1..16 */
    int64_t enterprises; /* 1..GEN_MAX_ENTERPRISES */
    uint64_t seed;
    int batch; /* records per transaction (default 1000) */
    gen_progress_fn progress;
    void *progress_ctx;
};

struct gen_stats {
    int64_t counties, providers, enterprises, approved, contracts, vouchers, waiting;
    int64_t redemptions, payouts;
};

/* Builds the data set into an initialised database that holds no
 * contracts yet (YQ_ECONFLICT "not_empty" otherwise). YQ_OK with *stats
 * filled, or a status with p explaining it. Moves the program clock and
 * the id source while it runs and puts them back. */
int gen_run(struct db *db, const struct gen_options *o, struct gen_stats *stats, struct problem *p);

#endif
