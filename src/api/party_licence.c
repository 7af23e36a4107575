/* Handlers: the business licence (营业执照) of an enterprise or a provider. */
#include "api/api.h"
#include "http/multipart.h"
#include "service/parties.h"

static void put(struct request *req, enum party_kind k)
{
    struct multipart_part part;
    if (!api_upload(req, &part)) return;
    struct problem p;
    problem_clear(&p);
    api_reply_upload(req,
                     parties_licence_put(req->db, &req->actor, k, http_param(req, "id"),
                                         api_options()->data_dir, part.filename, part.data,
                                         part.len, &p),
                     &p);
}

static void get(struct request *req, enum party_kind k)
{
    struct problem p;
    problem_clear(&p);
    char type[64], name[256];
    int fd = parties_licence_open(req->db, &req->actor, k, http_param(req, "id"),
                                  api_options()->data_dir, type, name, &p);
    api_reply_file(req, fd, type, name, &p);
}

void h_enterprises_licence_put(struct request *req)
{
    put(req, PARTY_ENTERPRISE);
}

void h_enterprises_licence_get(struct request *req)
{
    get(req, PARTY_ENTERPRISE);
}

void h_providers_licence_put(struct request *req)
{
    put(req, PARTY_PROVIDER);
}

void h_providers_licence_get(struct request *req)
{
    get(req, PARTY_PROVIDER);
}
