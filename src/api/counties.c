/* Handlers: counties and their targets. */
#include "api/api.h"
#include "store/users.h"

void h_counties_list(struct request *req)
{
    json_t *list = counties_list(req->db);
    if (!list) {
        http_reply_error(req, 500, "internal", NULL, "数据库错误");
        return;
    }
    api_reply(req, 200, list, NULL);
}
