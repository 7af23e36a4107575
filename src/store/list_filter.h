/* The filters every list view offers (issue 11): a keyword, a county, a
 * status and a date range on the list's main date. The handler validates
 * them; the store turns them into bound parameters, never spliced SQL. */
#ifndef YQ_STORE_LIST_FILTER_H
#define YQ_STORE_LIST_FILTER_H

#include "store/rows.h"

#include <stdint.h>

struct list_filter {
    const char *q;      /* keyword (LIKE, anywhere); NULL = none */
    const char *county; /* county code; NULL = all in scope */
    const char *status; /* stored status name; NULL = all */
    /* The range, both ends included, China time: as days "YYYY-MM-DD"
     * ("" = open) and as instants [from_ms, to_ms) (0 = open). */
    char from_day[11], to_day[11];
    int64_t from_ms, to_ms;
};

#define LIST_FILTER_PATTERN 220

/* Adds "(c1 LIKE ? OR c2 LIKE ? …)": the keyword anywhere in any of
 * `columns` (NULL-terminated column names, never input). `pattern` holds
 * the bound LIKE pattern and must live until the query ran. No keyword:
 * nothing. */
void list_filter_keyword(struct rows_where *w, const struct list_filter *f,
                         const char *const *columns, char pattern[LIST_FILTER_PATTERN]);
/* Adds "column >= from AND column < to" over an instant (ms) column. */
void list_filter_instants(struct rows_where *w, const struct list_filter *f, const char *column);
/* Adds "column >= from_day AND column <= to_day" over a date text column. */
void list_filter_days(struct rows_where *w, const struct list_filter *f, const char *column);

#endif
