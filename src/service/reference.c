/* Reference data reads. */
#include "service/reference.h"
#include "store/users.h"

json_t *reference_counties(struct db *db, struct problem *p)
{
    json_t *list = counties_list(db);
    if (!list) problem_db_error(p);
    return list;
}
