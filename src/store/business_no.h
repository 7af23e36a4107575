/* Business numbers people read and quote instead of internal ids (issue
 * 11): a payout batch is ZF-<county>-<yyyymm>-<seq> (the month it was made
 * in China time, the seq counting the county's batches of that month from
 * 001), a public notice GS-<year>-<seq> (the year of its opening day, the
 * seq counting the city's notices of that year from 0001). Made in the
 * creating transaction; unique indexes refuse a twin. */
#ifndef YQ_STORE_BUSINESS_NO_H
#define YQ_STORE_BUSINESS_NO_H

#include "store/db.h"

#include <stdint.h>

#define BUSINESS_NO_LEN 48

/* The next batch number of `county` for a batch made at `at` (ms). */
int payout_batch_no(struct db *db, const char *county, int64_t at, char out[BUSINESS_NO_LEN]);
/* The next notice number for a notice opening on `opens_on` (YYYY-MM-DD). */
int notice_no_next(struct db *db, const char *opens_on, char out[BUSINESS_NO_LEN]);
/* Migration 15: numbers for the batches and notices made before, in the
 * order they were made. */
int business_no_backfill(struct db *db);

#endif
