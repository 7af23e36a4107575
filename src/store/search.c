/* The global search's reads (see search.h). */
#include "store/search.h"
#include "store/rows.h"

#include <stdio.h>

static json_t *run(struct db *db, const char *head, struct rows_where *w, const char *order,
                   int64_t limit)
{
    char tail[160];
    snprintf(tail, sizeof tail, " ORDER BY %s LIMIT %lld", order, (long long)limit);
    json_t *r = rows_where_all(db, head, w, tail);
    rows_where_cleanup(w);
    return r;
}

json_t *search_vouchers(struct db *db, const struct row_scope *s, const char *q, int64_t limit)
{
    char like[220];
    rows_like(like, sizeof like, q);
    struct rows_where w;
    rows_where_init(&w);
    scope_where(&w, s, "v");
    rows_where_text(&w, "(v.code LIKE ? ESCAPE '\\' OR e.uscc LIKE ? ESCAPE '\\')", like, 2);
    return run(db,
               "SELECT v.id, v.code, e.name AS title, v.status, v.amount_fen, v.issue_year FROM"
               " vouchers v JOIN enterprises e ON e.id = v.enterprise_id",
               &w, "v.issued_at DESC, v.id", limit);
}

json_t *search_contracts(struct db *db, const struct row_scope *s, const char *q, int64_t limit)
{
    char like[220];
    rows_like(like, sizeof like, q);
    struct rows_where w;
    rows_where_init(&w);
    scope_where(&w, s, "c");
    rows_where_text(&w, "(c.contract_no LIKE ? ESCAPE '\\' OR e.uscc LIKE ? ESCAPE '\\')", like,
                    2);
    return run(db,
               "SELECT c.id, c.contract_no AS code, e.name AS title, p.name AS provider_name,"
               " c.status, c.total_fen FROM contracts c JOIN enterprises e ON e.id ="
               " c.enterprise_id JOIN providers p ON p.id = c.provider_id",
               &w, "c.created_at DESC, c.id", limit);
}

json_t *search_enterprises(struct db *db, const struct row_scope *s, const char *q, int64_t limit)
{
    char like[220];
    rows_like(like, sizeof like, q);
    struct rows_where w;
    rows_where_init(&w);
    if (s->ncounties > 0)
        rows_where_in(&w, "e.county_code", s->counties, s->ncounties);
    else if (s->enterprise_user)
        rows_where_text(&w, "e.user_id = ?", s->enterprise_user, 1);
    else if (!s->all)
        rows_where_sql(&w, "1 = 0");
    rows_where_text(&w, "(e.name LIKE ? ESCAPE '\\' OR e.uscc LIKE ? ESCAPE '\\')", like, 2);
    return run(db,
               "SELECT e.id, e.uscc AS code, e.name AS title, e.status, c.name AS county_name"
               " FROM enterprises e JOIN counties c ON c.code = e.county_code",
               &w, "e.name, e.id", limit);
}

json_t *search_providers(struct db *db, const struct row_scope *s, const char *q, int64_t limit)
{
    char like[220];
    rows_like(like, sizeof like, q);
    struct rows_where w;
    rows_where_init(&w);
    if (s->provider_user)
        rows_where_text(&w, "p.user_id = ?", s->provider_user, 1);
    else if (!s->all && s->ncounties == 0)
        rows_where_sql(&w, "1 = 0");
    rows_where_text(&w, "(p.name LIKE ? ESCAPE '\\' OR p.uscc LIKE ? ESCAPE '\\')", like, 2);
    return run(db, "SELECT p.id, p.uscc AS code, p.name AS title, p.status FROM providers p", &w,
               "p.name, p.id", limit);
}
