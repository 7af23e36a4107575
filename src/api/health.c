/* Health, metrics and the OpenAPI document. */
#include "api/api.h"
#include "service/group.h"
#include "embedded.h"
#include "http/metrics.h"
#include "service/health.h"

#include <string.h>
#include <strings.h>

void h_healthz(struct request *req)
{
    bool db_ok = health_database_ok(req->db);
    http_reply_json(req, db_ok ? 200 : 503,
                    json_pack("{s:s, s:s}", "status", db_ok ? "ok" : "degraded", "database",
                              db_ok ? "ok" : "unavailable"));
}

static bool is_loopback(const char *addr)
{
    return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 ||
           strncmp(addr, "::ffff:127.", 11) == 0;
}

/* Compares in time that depends on the lengths only. */
static bool same_token(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b)) return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

/* Metrics name routes and count traffic: only loopback clients (unless
 * metrics_loopback is off, e.g. behind a reverse proxy on the same host)
 * and holders of the metrics token may read them. */
static bool may_read_metrics(struct request *req)
{
    const struct api_options *o = api_options();
    if (o->metrics_loopback && is_loopback(req->client_addr)) return true;
    const char *auth = http_header(req, "Authorization");
    return o->metrics_token && o->metrics_token[0] && auth &&
           strncasecmp(auth, "Bearer ", 7) == 0 && same_token(auth + 7, o->metrics_token);
}

void h_metrics(struct request *req)
{
    if (!may_read_metrics(req)) {
        http_reply_error(req, 403, "forbidden", NULL,
                         "只有本机或持有监控令牌（Authorization: Bearer）的客户端可读取指标");
        return;
    }
    struct buf b;
    buf_init(&b, 4 * 1024 * 1024);
    metrics_render(&b);
    struct group_stats gs;
    service_group_stats(&gs);
    buf_printf(&b,
               "# HELP yunquan_group_commits_total Commits of the group-commit writer.\n"
               "# TYPE yunquan_group_commits_total counter\n"
               "yunquan_group_commits_total %lld\n"
               "# HELP yunquan_group_writes_total Writing use cases run in those commits.\n"
               "# TYPE yunquan_group_writes_total counter\n"
               "yunquan_group_writes_total %lld\n"
               "# HELP yunquan_group_largest Most writing use cases in one commit so far.\n"
               "# TYPE yunquan_group_largest gauge\n"
               "yunquan_group_largest %lld\n",
               (long long)gs.groups, (long long)gs.jobs, (long long)gs.largest);
    http_reply_text(req, 200, "text/plain; version=0.0.4; charset=utf-8", b.data ? b.data : "",
                    b.len);
    buf_cleanup(&b);
}

void h_openapi(struct request *req)
{
    http_reply_text(req, 200, "application/json; charset=utf-8", yq_data_openapi_json,
                    yq_data_openapi_json_len);
}
