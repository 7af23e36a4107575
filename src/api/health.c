/* Health, metrics and the OpenAPI document. */
#include "api/api.h"
#include "embedded.h"
#include "http/metrics.h"
#include "service/health.h"

void h_healthz(struct request *req)
{
    bool db_ok = health_database_ok(req->db);
    http_reply_json(req, db_ok ? 200 : 503,
                    json_pack("{s:s, s:s}", "status", db_ok ? "ok" : "degraded", "database",
                              db_ok ? "ok" : "unavailable"));
}

void h_metrics(struct request *req)
{
    struct buf b;
    buf_init(&b, 4 * 1024 * 1024);
    metrics_render(&b);
    http_reply_text(req, 200, "text/plain; version=0.0.4; charset=utf-8", b.data ? b.data : "",
                    b.len);
    buf_cleanup(&b);
}

void h_openapi(struct request *req)
{
    http_reply_text(req, 200, "application/json; charset=utf-8", yq_data_openapi_json,
                    yq_data_openapi_json_len);
}
