/* libmicrohttpd glue: request lifecycle (database connections: thread_db.c),
 * body cap, admission before the body, request deadlines, request ids,
 * security headers, access log, metrics, graceful shutdown. */
#include "http/server.h"
#include "core/clock.h"
#include "core/status.h"
#include "core/validate.h"
#include "http/deadline.h"
#include "http/metrics.h"
#include "http/thread_db.h"
#include "http/writers.h"
#include "service/client_addr.h"
#include "store/id.h"

#include <arpa/inet.h>
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static const struct server_config *config;
static atomic_int in_flight;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* More query parameters than this get a 414 (see uri_seen). */
#define QUERY_PARAMS_MAX 200
/* The *con_cls of a request whose query string uri_seen cut off, and of
 * one whose path holds an encoded NUL (%00: decoded, it would cut the path
 * short and pass for another, e.g. a voucher code). */
static char query_refused, nul_refused;
/* An authenticated upload gets this much more time per byte of its cap:
 * 64 KiB/s, so that a 20 MiB file may take five minutes more. */
#define UPLOAD_NS_PER_BYTE (1000000000 / (64 * 1024))

/* Content-Security-Policy of the web UI's pages (the built index.html
 * loads external module scripts only; Element Plus sets inline styles)
 * and of everything else (JSON, files): nothing may load or frame it. */
static const char csp_page[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'";
static const char csp_other[] = "default-src 'none'; frame-ancestors 'none'";

static bool valid_request_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

/* Every X-Forwarded-For line joined with commas, keeping the right end
 * (the hops our proxies wrote) when they are too long. */
struct forwarded_lines {
    char text[1024];
    size_t len;
};

static enum MHD_Result gather_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
                                        const char *value)
{
    (void)kind;
    struct forwarded_lines *f = cls;
    if (!key || !value || strcasecmp(key, "X-Forwarded-For") != 0) return MHD_YES;
    size_t n = strlen(value), room = sizeof f->text - 1;
    if (f->len && n + 1 + f->len <= room)
        f->text[f->len++] = ',';
    else if (f->len)
        f->len = 0;
    if (n > room) {
        value += n - room;
        n = room;
    }
    memcpy(f->text + f->len, value, n);
    f->len += n;
    f->text[f->len] = '\0';
    return MHD_YES;
}

static struct request *request_new(struct MHD_Connection *conn, const char *url, const char *method)
{
    struct request *req = yq_calloc(1, sizeof *req);
    arena_init(&req->arena);
    req->conn = conn;
    req->method = arena_strdup(&req->arena, method);
    req->path = arena_strdup(&req->arena, url);
    size_t limit = config->body_limit ? config->body_limit(method, url) : 0;
    buf_init(&req->body, limit ? limit : config->body_max);
    buf_init(&req->out, 64 * 1024 * 1024);
    req->fd = -1;
    req->started_ns = clock_mono_ns();
    req->db_ns_at_start = db_thread_time_ns();
    const char *rid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
    if (rid && valid_request_id(rid))
        snprintf(req->request_id, sizeof req->request_id, "%s", rid);
    else
        id_new(req->request_id);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(req->client_addr, sizeof req->client_addr, "unknown");
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, req->client_addr,
                      sizeof req->client_addr);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, req->client_addr,
                      sizeof req->client_addr);
    }
    /* Behind a trusted reverse proxy the client is named by X-Forwarded-For
     * (every line, in order); otherwise the peer itself. */
    struct forwarded_lines f = {.len = 0};
    f.text[0] = '\0';
    MHD_get_connection_values(conn, MHD_HEADER_KIND, gather_forwarded, &f);
    client_addr_resolve(req->client_addr, f.len ? f.text : NULL, req->client_addr,
                        sizeof req->client_addr);
    req->actor.request_id = req->request_id;
    req->actor.client_addr = req->client_addr;
    req->in_flight = true;
    atomic_fetch_add(&in_flight, 1);
    return req;
}

static void request_free(struct request *req)
{
    buf_cleanup(&req->body);
    buf_cleanup(&req->out);
    arena_free(&req->arena);
    free(req);
}

static enum MHD_Result send_reply(struct request *req)
{
    struct MHD_Response *resp;
    if (req->fd >= 0) {
        resp = MHD_create_response_from_fd((uint64_t)req->fd_size, req->fd);
        req->fd = -1; /* MHD closes it */
    } else {
        size_t len = req->out.len;
        resp = MHD_create_response_from_buffer(len, buf_steal(&req->out), MHD_RESPMEM_MUST_FREE);
    }
    if (!resp) return MHD_NO;
    if (req->content_type) MHD_add_response_header(resp, "Content-Type", req->content_type);
    MHD_add_response_header(resp, "X-Request-Id", req->request_id);
    bool page = req->content_type && strncmp(req->content_type, "text/html", 9) == 0;
    MHD_add_response_header(resp, "Content-Security-Policy", page ? csp_page : csp_other);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (config->hsts_max_age > 0) {
        char hsts[48];
        snprintf(hsts, sizeof hsts, "max-age=%ld", config->hsts_max_age);
        MHD_add_response_header(resp, "Strict-Transport-Security", hsts);
    }
    bool has_cache = false;
    for (struct header *h = req->headers; h; h = h->next) {
        MHD_add_response_header(resp, h->name, h->value);
        if (strcasecmp(h->name, "Cache-Control") == 0) has_cache = true;
    }
    if (!has_cache) MHD_add_response_header(resp, "Cache-Control", "no-store");
    enum MHD_Result r = MHD_queue_response(req->conn, (unsigned)req->status, resp);
    MHD_destroy_response(resp);
    return r;
}

static void reply_too_large(struct request *req)
{
    http_reply_error(req, 413, "body_too_large", NULL, "请求体过大，上限为 %zu 字节",
                     req->body.max);
    http_add_header(req, "Connection", "close");
}

static struct deadline_watch *watch_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* Whether the client announced a body (so an early answer must close). */
static bool has_body(struct MHD_Connection *conn)
{
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding");
    return te || (cl && strcmp(cl, "0") != 0);
}

/* The first call, with the headers in and no byte of the body read yet:
 * refuses what can be refused now. Returns false after replying. */
static bool on_headers(struct request *req, struct MHD_Connection *conn, bool query_cut)
{
    if (query_cut) {
        http_reply_error(req, 414, "too_many_parameters", NULL, "查询参数过多（上限 %d 个）",
                         QUERY_PARAMS_MAX);
        return false;
    }
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    if (cl) {
        char *end;
        unsigned long long n = strtoull(cl, &end, 10);
        if (*end || n > req->body.max) {
            req->body_too_large = true;
            reply_too_large(req);
            return false;
        }
    }
    if (!config->admit) return true;
    req->db = thread_db();
    if (config->admit(req)) {
        /* Admitted: an authenticated upload gets time for its larger body. */
        if (req->body.max > config->body_max)
            deadline_extend(watch_of(conn), (int64_t)req->body.max * UPLOAD_NS_PER_BYTE);
        return true;
    }
    if (!req->replied) http_reply_error(req, 500, "internal", NULL, "服务器内部错误");
    return false;
}

/* Runs the request's handler on this thread (a worker or a writer). */
static void run_handler(struct request *req)
{
    /* Fetched again, never kept from the headers' callback: another
     * request of this thread may have closed a broken handle since. */
    req->db = thread_db();
    bool routed = config->dispatch(req);
    if (!routed && !static_serve(req, config->web_root)) {
        if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0)
            http_reply_error(req, 404, "not_found", NULL, "页面不存在");
        else
            http_reply_error(req, 404, "not_found", NULL, "接口不存在");
    }
    if (!req->replied) http_reply_error(req, 500, "internal", NULL, "服务器内部错误");
    thread_db_drop_if_broken(req);
}

static void run_elsewhere(struct request *req)
{
    int64_t at = db_thread_time_ns();
    run_handler(req);
    req->db = NULL; /* this thread's: the worker must not touch it */
    req->db_ns_elsewhere = db_thread_time_ns() - at;
}

static bool lane_of(struct request *req, char key[WRITERS_LANE_KEY])
{
    req->db = thread_db(); /* the write thread's */
    return req->db && config->lane(req, key);
}

static void resume(struct request *req)
{
    MHD_resume_connection(req->conn);
}

static enum MHD_Result queue_reply(struct request *req, struct MHD_Connection *conn)
{
    deadline_busy(watch_of(conn), true);
    req->sent = true;
    return send_reply(req);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)version;
    struct request *req = *con_cls;
    bool query_cut = *con_cls == &query_refused, nul = *con_cls == &nul_refused;
    if (query_cut || nul || !req) {
        req = request_new(conn, url, method);
        *con_cls = req;
        if (nul)
            http_reply_error(req, 400, "bad_request", NULL, "请求地址含有空字符（%%00），无法处理");
        if ((!nul && on_headers(req, conn, query_cut)) || !has_body(conn)) return MHD_YES;
        /* Refused with a body announced: answered now, and the body is never
         * read (libmicrohttpd closes the connection after an answer queued
         * this early, so a request without a body waits for the last call
         * to keep its connection). */
        http_add_header(req, "Connection", "close");
        return queue_reply(req, conn);
    }
    if (*upload_data_size) {
        if (!req->body_too_large && !req->replied &&
            buf_append(&req->body, upload_data, *upload_data_size) != YQ_OK) {
            req->body_too_large = true;
            buf_cleanup(&req->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (req->sent) return MHD_YES;                   /* answered before the body */
    if (req->replied) return queue_reply(req, conn); /* refused at the headers */
    if (req->body_too_large) {
        reply_too_large(req);
        return queue_reply(req, conn);
    }
    if (req->handed_off) return queue_reply(req, conn); /* back from a writer thread */
    deadline_busy(watch_of(conn), true);
    bool reads = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
    if (!reads && config->write_threads > 0) {
        /* Answered once resumed (writers.h); nothing of this thread waits. */
        req->handed_off = true;
        MHD_suspend_connection(conn);
        writers_submit(req);
        return MHD_YES;
    }
    run_handler(req);
    return queue_reply(req, conn);
}

/* Sees the raw request target before libmicrohttpd splits its query
 * string into the connection's memory pool. Thousands of parameters
 * would overflow that pool, and libmicrohttpd 0.9.75 then closes the
 * connection without an answer; so past QUERY_PARAMS_MAX the query is cut
 * off here (libmicrohttpd parses it after this call, in the same buffer,
 * which it owns and writes) and the request is answered 414. Returns the
 * request's initial *con_cls. */
static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    (void)conn;
    char *query = uri ? strchr(uri, '?') : NULL;
    const char *nul = uri ? strstr(uri, "%00") : NULL;
    if (nul && (!query || nul < query)) return &nul_refused;
    /* In a value, a NUL would cut it short: made a byte that is never UTF-8
     * (%C0), so that the value is refused naming its parameter (422, as
     * any value that is not text; http_query_bad_text). */
    for (char *z = query ? strstr(query, "%00") : NULL; z; z = strstr(z + 3, "%00"))
        memcpy(z + 1, "C0", 2);
    if (!query) return NULL;
    int n = 1;
    for (const char *q = query + 1; *q; q++)
        if (*q == '&' && ++n > QUERY_PARAMS_MAX) break;
    if (n <= QUERY_PARAMS_MAX) return NULL;
    query[1] = '\0';
    return &query_refused;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = ci ? deadline_watch_new(ci->connect_fd) : NULL;
    } else {
        deadline_watch_free(*socket_context);
        *socket_context = NULL;
    }
}

static void json_escape_into(struct buf *b, const char *raw)
{
    char clean[4096];
    utf8_sanitize(clean, sizeof clean, raw);
    for (const char *s = clean; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            buf_printf(b, "\\%c", c);
        else if (c < 0x20)
            buf_printf(b, "\\u%04x", c);
        else
            buf_append(b, s, 1);
    }
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    struct request *req = *con_cls;
    *con_cls = NULL;
    if (!req || (void *)req == &query_refused || (void *)req == &nul_refused) return;
    deadline_busy(watch_of(conn), false); /* the next request's clock starts */
    int64_t dur = clock_mono_ns() - req->started_ns;
    int64_t dbns = db_thread_time_ns() - req->db_ns_at_start + req->db_ns_elsewhere;
    int status = req->status ? req->status : 0;
    metrics_observe(req->match.route ? req->match.index : -1, status, dur, dbns);
    if (config->access_log) {
        char at[32];
        clock_format_iso(clock_now_ms(), at);
        struct buf line;
        buf_init(&line, 8192);
        buf_printf(&line, "{\"at\":\"%s\",\"request_id\":\"%s\",\"method\":\"", at,
                   req->request_id);
        json_escape_into(&line, req->method);
        buf_puts(&line, "\",\"path\":\"");
        json_escape_into(&line, req->path);
        buf_printf(&line, "\",\"status\":%d,\"ms\":%.3f,\"db_ms\":%.3f,\"addr\":\"%s\",\"user\":\"",
                   status, (double)dur / 1e6, (double)dbns / 1e6, req->client_addr);
        json_escape_into(&line, req->authenticated ? req->actor.user.username : "");
        buf_printf(&line, "\",\"completed\":%s}\n",
                   toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "true" : "false");
        pthread_mutex_lock(&log_lock);
        fputs(line.data, config->access_log);
        fflush(config->access_log);
        pthread_mutex_unlock(&log_lock);
        buf_cleanup(&line);
    }
    if (req->fd >= 0) close(req->fd);
    bool counted = req->in_flight;
    request_free(req);
    if (counted) atomic_fetch_sub(&in_flight, 1);
}

int server_run(const struct server_config *cfg)
{
    config = cfg;
    thread_db_init(cfg);
    signal(SIGPIPE, SIG_IGN);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL); /* workers inherit the mask */

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)cfg->port);
    if (inet_pton(AF_INET, cfg->host, &addr.sin_addr) != 1) {
        fprintf(stderr, "yunquan: 监听地址无效：%s\n", cfg->host);
        return 1;
    }
    /* poll(), not epoll: with epoll, libmicrohttpd 0.9.75 does not notice a
     * client that hangs up in the middle of its body until the connection
     * times out, and such connections would then hold up shutdown
     * (tests/api/test_shutdown.py). Measured the same speed at 64
     * connections (docs/benchmarks.md). Each pool thread polls its own. */
    unsigned flags = MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (cfg->write_threads > 0) {
        if (writers_start(cfg->write_threads, run_elsewhere, resume,
                          cfg->lane ? lane_of : NULL) != YQ_OK)
            return 1;
        flags |= MHD_ALLOW_SUSPEND_RESUME;
    }
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)cfg->port, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads > 0 ? cfg->threads : 1),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, NULL, MHD_OPTION_URI_LOG_CALLBACK, uri_seen, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
        /* Past the cap libmicrohttpd closes a new connection at once. */
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_connections,
        /* The pool is wholly resident once a connection has served one
         * request (libmicrohttpd zeroes it on reset, on every request), so
         * its size is the cost of every idle keep-alive connection and a
         * part of every request's: 32 KiB keeps 256 of them near 20 MB
         * (docs/benchmarks.md). It holds QUERY_PARAMS_MAX
         * parameters (uri_seen cuts more off and answers a JSON 414); a
         * request line longer than half the pool gets libmicrohttpd's own
         * 414 and the connection is closed. */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024), MHD_OPTION_END);
    if (!d) {
        if (cfg->write_threads > 0) writers_stop();
        fprintf(stderr, "yunquan: 无法在 %s:%d 启动服务（端口被占用？）\n", cfg->host, cfg->port);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    int port = info ? info->port : cfg->port;
    if (cfg->on_listen) cfg->on_listen(port, cfg->ctx);

    /* This thread waits for the signal and meanwhile sweeps the deadlines. */
    deadline_on_cut(metrics_deadline_closed);
    int64_t limit_ns = (int64_t)cfg->request_timeout * 1000000000;
    struct timespec tick = {0, 250 * 1000 * 1000};
    int sig;
    unsigned ticks = 0;
    while ((sig = sigtimedwait(&stop, NULL, &tick)) < 0) {
        if (errno != EAGAIN) continue;
        deadline_sweep(limit_ns);
#ifdef __GLIBC__
        /* Every 10 s, hand the pages that requests freed back to the
         * system: glibc keeps them in each worker thread's arena until its
         * top happens to shrink, so the resident size followed the largest
         * recent requests (an export, an Argon2 hash) rather than what is
         * in use, and a 10-minute soak saw it wander by 20 % (issue 9). */
        if (++ticks % 40 == 0) malloc_trim(0);
#endif
    }
    fprintf(stderr, "yunquan: 收到信号 %d，正在停止：不再接受新连接，等待进行中的请求完成\n", sig);
    MHD_quiesce_daemon(d);
    for (int i = 0; i < 300 && atomic_load(&in_flight) > 0; i++) {
        usleep(100 * 1000);
        deadline_sweep(limit_ns);
    }
    /* Writing requests still running finish and resume their connections
     * (a quiesced daemon still answers them); then the workers stop. */
    if (cfg->write_threads > 0) writers_stop();
    MHD_stop_daemon(d); /* worker threads exit; their connections close */
    fprintf(stderr, "yunquan: 已停止\n");
    return 0;
}
