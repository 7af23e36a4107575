/* What gen.c (places, accounts, parties, catalog) and gen_money.c
 * (budgets, contracts, redemptions) share while a data set is built. */
#ifndef YQ_SERVICE_GEN_INTERNAL_H
#define YQ_SERVICE_GEN_INTERNAL_H

#include "core/prng.h"
#include "service/actor.h"
#include "service/gen.h"
#include "store/id.h"

#include <stdbool.h>

#define GEN_HALVES 6 /* 2018H1 … 2020H2, the program's window */

struct gen_county_rt {
    char code[8], name[64];
    int city;
    int64_t target;
    struct actor it, fin;
    int64_t demand[3]; /* estimated voucher money asked for, per year */
};

struct gen_provider {
    char id[ID_LEN + 1];
    struct user user;
    int city;
    char items[2][ID_LEN + 1];
    int64_t price[2];
};

struct gen_enterprise {
    char id[ID_LEN + 1], user_id[ID_LEN + 1];
    int county;   /* index in counties */
    int provider; /* its contract's provider */
    int half;     /* when it signs */
    int item;
    int64_t quantity, service_fen;
};

struct gen {
    struct db *db;
    const struct gen_options *o;
    struct gen_stats *stats;
    struct prng rng;
    int64_t now; /* the program clock while generating */
    struct gen_county_rt *counties;
    int ncounties;
    struct gen_provider *providers;
    int nproviders;
    struct gen_enterprise *ents; /* approved enterprises, the ones that sign */
    int64_t nents;
    struct actor city_it, city_fin, evaluators[GEN_MAX_CITIES];
    int64_t in_batch;
};

/* Moves the clock to 10:00 China time on `day` plus `ms`, never backwards
 * (at least 1 ms after the last instant). */
void gen_at(struct gen *g, int32_t day, int64_t ms);
/* Batching: gen_begin opens the outer transaction; gen_tick counts one
 * record and commits and reopens every o->batch records; gen_end commits. */
int gen_begin(struct gen *g, struct problem *p);
int gen_tick(struct gen *g, struct problem *p);
int gen_end(struct gen *g, struct problem *p);
void gen_report(struct gen *g, const char *stage, int64_t done, int64_t total);

/* gen_money.c: budgets, contracts and vouchers, redemptions and payouts. */
int gen_money(struct gen *g, struct problem *p);

#endif
