/* Handler: the header's global search. */
#include "api/api.h"
#include "service/search.h"

void h_search(struct request *req)
{
    struct problem p;
    problem_clear(&p);
    api_reply(req, 200, search_records(req->db, &req->actor, api_query(req, "q"), &p), &p);
}
