/* Pending work counts (see pending.h). */
#include "store/pending.h"
#include "core/status.h"
#include "store/rows.h"

/* COUNT(*) of `from` under `w`; YQ_OK or YQ_ERR. Cleans `w` up. */
static int count(struct db *db, const char *from, struct rows_where *w, int64_t *n)
{
    json_t *r = rows_page(db, "1", from, w, "1", 0, 1);
    rows_where_cleanup(w);
    if (!r) return YQ_ERR;
    *n = json_integer_value(json_object_get(r, "total"));
    json_decref(r);
    return YQ_OK;
}

int pending_enterprises(struct db *db, const struct row_scope *s, int64_t *n)
{
    struct rows_where w;
    rows_where_init(&w);
    if (!s->all) {
        if (s->ncounties > 0)
            rows_where_in(&w, "e.county_code", s->counties, s->ncounties);
        else
            rows_where_sql(&w, "1 = 0");
    }
    rows_where_sql(&w, "e.status IN ('submitted', 'resubmitted')");
    return count(db, "FROM enterprises e", &w, n);
}

int pending_providers(struct db *db, int64_t *n)
{
    struct rows_where w;
    rows_where_init(&w);
    rows_where_sql(&w, "p.status IN ('submitted', 'resubmitted')");
    return count(db, "FROM providers p", &w, n);
}

int pending_catalog(struct db *db, int64_t *n)
{
    struct rows_where w;
    rows_where_init(&w);
    rows_where_sql(&w, "v.status = 'pending'");
    return count(db, "FROM catalog_item_versions v", &w, n);
}

int pending_contracts(struct db *db, const struct row_scope *s, const char *role, int64_t *n)
{
    struct rows_where w;
    rows_where_init(&w);
    scope_where(&w, s, "c");
    rows_where_sql(&w, "c.status = 'draft'");
    rows_where_text(&w, "c.drafted_by_role <> ?", role, 1);
    return count(db, "FROM contracts c", &w, n);
}
