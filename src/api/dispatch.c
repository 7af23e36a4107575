/* Routing and the one authorization function every route goes through:
 * session → role → CSRF. Record scopes (a county official sees only its
 * county; out-of-scope records answer 404) are enforced by the services. */
#include "api/api.h"
#include "api/export.h"
#include "core/mem.h"
#include "core/status.h"
#include "core/validate.h"
#include "http/json.h"
#include "http/multipart.h"
#include "service/auth.h"
#include "service/contracts.h"
#include "service/idempotent.h"

#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include <stdio.h>
#include <string.h>

static struct api_options options;

void api_init(const struct api_options *opt)
{
    options = *opt;
    if (!options.data_dir) options.data_dir = "var/files";
    if (!options.public_url) options.public_url = "http://127.0.0.1:8080";
    const char *fault = getenv("YUNQUAN_FAULT");
    options.fault_exit_after_commit = fault && strcmp(fault, "exit_after_commit") == 0;
}

const struct api_options *api_options(void)
{
    return &options;
}

size_t api_body_limit(const char *method, const char *path)
{
    size_t n = strlen(path);
    bool upload =
        strcmp(method, "POST") == 0 && n > 12 && strcmp(path + n - 12, "/attachments") == 0;
    if (upload && (strncmp(path, "/api/v1/contracts/", 18) == 0 ||
                   strncmp(path, "/api/v1/redemptions/", 20) == 0))
        return 21 * 1024 * 1024;
    /* A business licence may be up to 10 MiB (service/parties.h). */
    if (strcmp(method, "POST") == 0 && n > 8 && strcmp(path + n - 8, "/licence") == 0 &&
        (strncmp(path, "/api/v1/enterprises/", 20) == 0 ||
         strncmp(path, "/api/v1/providers/", 18) == 0))
        return 11 * 1024 * 1024;
    /* An import file may be up to 1 MiB; room above it for the multipart
     * framing and for the importer to say so itself. */
    if (strcmp(method, "POST") == 0 && strcmp(path, "/api/v1/enterprises/import") == 0)
        return 2 * 1024 * 1024;
    return 0;
}

bool api_need_db(struct request *req)
{
    if (req->db) return true;
    http_reply_error(req, 503, "database_unavailable", NULL, "数据库暂不可用，请稍后再试");
    return false;
}

static bool is_write(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Resolves the session cookie; true when signed in. */
static bool authenticate(struct request *req, struct problem *p)
{
    const char *token = http_cookie(req, "yq_session");
    if (!token) {
        problem_set(p, YQ_EUNAUTH, "unauthenticated", NULL, "请先登录");
        return false;
    }
    char csrf[65];
    if (auth_resolve(req->db, token, &req->actor, csrf, p) != YQ_OK) return false;
    req->authenticated = true;
    snprintf(req->session_token, sizeof req->session_token, "%s", token);
    if (is_write(req->method)) {
        /* Double submit, bound to the session: header = cookie = session's. */
        const char *header = http_header(req, "X-CSRF-Token");
        const char *cookie = http_cookie(req, "yq_csrf");
        if (!header || !cookie || strcmp(header, cookie) != 0 || strcmp(header, csrf) != 0) {
            problem_set(p, YQ_EFORBIDDEN, "csrf_failed", NULL,
                        "请求缺少有效的 CSRF 令牌（X-CSRF-Token），请刷新页面后重试");
            return false;
        }
    }
    return true;
}

/* The one authorization function: may this request run this route? The
 * session is resolved once (api_admit, before the body), then only the
 * role is looked at again. */
static bool authorize(struct request *req, const struct route *r)
{
    if (r->roles & ROLE_PUBLIC) return true;
    if (!api_need_db(req)) return false;
    struct problem p;
    problem_clear(&p);
    if (!req->authenticated && !authenticate(req, &p)) {
        http_reply_problem(req, &p);
        return false;
    }
    if (!(r->roles & (unsigned)req->actor.role)) {
        http_reply_error(req, 403, "forbidden", NULL, "当前角色（%s）无权执行此操作",
                         role_name_zh(req->actor.role));
        return false;
    }
    return true;
}

bool api_admit(struct request *req)
{
    char allow[64];
    if (router_match(api_routes, api_route_count, req->method, req->path, &req->match, allow,
                     sizeof allow) != ROUTER_FOUND)
        return true; /* 404 or 405 once the (small) body is in */
    return authorize(req, req->match.route);
}

bool api_write_lane(struct request *req, char key[WRITERS_LANE_KEY])
{
    /* Admitted (api_admit): the route is matched and its caller known. */
    const struct route *r = req->match.route;
    if (!r || !req->authenticated ||
        (r->handler != h_contracts_confirm && r->handler != h_contracts_cancel &&
         r->handler != h_contracts_terminate))
        return false;
    const char *id = http_param(req, "id");
    return id && contracts_write_lane(req->db, id, key, WRITERS_LANE_KEY);
}

/* Whether a body has anything but JSON whitespace: one of only spaces is
 * no body, whatever its Content-Type says. */
static bool has_content(const struct buf *b)
{
    for (size_t i = 0; i < b->len; i++) {
        char c = b->data[i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return true;
    }
    return false;
}

json_t *api_body(struct request *req, const char *const *allowed_fields)
{
    struct problem p;
    problem_clear(&p);
    const char *ct = http_header(req, "Content-Type");
    bool json_type = ct && strncasecmp(ct, "application/json", 16) == 0 &&
                     (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ');
    if (has_content(&req->body) && !json_type) {
        http_reply_error(req, 415, "unsupported_media_type", NULL, "请求体须为 application/json");
        return NULL;
    }
    json_t *body;
    if (json_parse_object(req->body.data ? req->body.data : "", req->body.len, &body, &p) !=
            YQ_OK ||
        (allowed_fields && json_only_fields(body, allowed_fields, &p) != YQ_OK)) {
        json_decref(body);
        http_reply_problem(req, &p);
        return NULL;
    }
    return body;
}

bool api_format_json(struct request *req)
{
    const char *format = http_query(req, "format");
    if (!format || strcmp(format, "json") == 0 || strcmp(format, "xlsx") == 0 ||
        strcmp(format, "csv") == 0)
        return true;
    http_reply_error(req, 422, "invalid_field", "format", "format 只能是 json、xlsx 或 csv");
    return false;
}

void api_reply(struct request *req, int status, json_t *result, const struct problem *p)
{
    if (!result) {
        if (p)
            http_reply_problem(req, p);
        else
            http_reply_error(req, 500, "internal", NULL, "数据库错误");
        return;
    }
    const char *format = http_query(req, "format");
    bool file = format && (strcmp(format, "xlsx") == 0 || strcmp(format, "csv") == 0);
    if (file && json_is_array(json_object_get(result, "items"))) {
        api_reply_export(req, result, format);
        json_decref(result);
        return;
    }
    if (!api_format_json(req)) {
        json_decref(result);
        return;
    }
    http_reply_json(req, status, result);
}

/* A list its service reads whole (a few dozen rows: counties, programs,
 * the reference catalog, one row per county). Without page/page_size the
 * whole list, as the pages read it; with them that page, the parameters
 * checked like every list's (page_size at most 200), "total" the whole
 * count. Exports are the whole list. */
void api_reply_list(struct request *req, json_t *result, const struct problem *p)
{
    const char *format = http_query(req, "format");
    bool file = format && (strcmp(format, "xlsx") == 0 || strcmp(format, "csv") == 0);
    json_t *items = result ? json_object_get(result, "items") : NULL;
    if (!file && json_is_array(items) &&
        (http_query(req, "page") || http_query(req, "page_size"))) {
        struct problem pp;
        problem_clear(&pp);
        int64_t offset, limit;
        if (http_paging(req, &offset, &limit, &pp) != YQ_OK) {
            json_decref(result);
            http_reply_problem(req, &pp);
            return;
        }
        size_t n = json_array_size(items);
        if (!json_object_get(result, "total"))
            json_object_set_new(result, "total", json_integer((json_int_t)n));
        json_t *page = json_array();
        for (int64_t i = offset; i >= 0 && (uint64_t)i < n && i - offset < limit; i++)
            json_array_append(page, json_array_get(items, (size_t)i));
        json_object_set_new(result, "items", page);
    }
    api_reply(req, 200, result, p);
}

void api_reason_action(struct request *req, bool reason_required, int status, api_reason_fn fn)
{
    static const char *const fields[] = {"reason", NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    const char *reason = NULL;
    json_t *r = NULL;
    int rc = json_get_string(body, "reason", reason_required, &reason, &p);
    /* A reason or note is checked like every text (no control characters,
     * at most 500 characters); an optional one left blank is none. */
    if (rc == YQ_OK && reason) {
        const char *c = reason;
        while (*c == ' ' || *c == '\t')
            c++;
        if (!*c && !reason_required)
            reason = NULL;
        else
            rc = validate_text("reason", "原因或说明", reason, 500, &p);
    }
    if (rc == YQ_OK) r = fn(req->db, &req->actor, http_param(req, "id"), reason, &p);
    json_decref(body);
    api_reply(req, status, r, &p);
}

void api_body_create(struct request *req, api_create_fn fn)
{
    json_t *body = api_body(req, NULL);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    json_t *r = fn(req->db, &req->actor, body, &p);
    json_decref(body);
    api_reply(req, 201, r, &p);
}

void api_body_action(struct request *req, api_body_fn fn)
{
    json_t *body = api_body(req, NULL);
    if (!body) return;
    struct problem p;
    problem_clear(&p);
    json_t *r = fn(req->db, &req->actor, http_param(req, "id"), body, &p);
    json_decref(body);
    api_reply(req, 200, r, &p);
}

bool api_paging(struct request *req, int64_t *offset, int64_t *limit)
{
    struct problem p;
    problem_clear(&p);
    if (http_paging(req, offset, limit, &p) == YQ_OK) return true;
    http_reply_problem(req, &p);
    return false;
}

void api_bodyless_action(struct request *req, int status, api_action_fn fn)
{
    static const char *const fields[] = {NULL};
    json_t *body = api_body(req, fields);
    if (!body) return;
    json_decref(body);
    struct problem p;
    problem_clear(&p);
    api_reply(req, status, fn(req->db, &req->actor, http_param(req, "id"), &p), &p);
}

const char *api_query(struct request *req, const char *key)
{
    const char *v = http_query(req, key);
    return v && v[0] ? v : NULL;
}

/* What identifies a request's body for its Idempotency-Key. A form
 * upload's boundary is chosen afresh by the client on every send (browsers
 * and HTTP libraries alike), so it is replaced by a fixed byte: a retried
 * upload of the same files matches its first attempt. */
static void body_fingerprint(struct request *req, char out[65])
{
    const char *body = req->body.data ? req->body.data : "";
    size_t len = req->body.len;
    const char *ct = http_header(req, "Content-Type");
    const char *b = ct && strncasecmp(ct, "multipart/", 10) == 0 ? strstr(ct, "boundary=") : NULL;
    size_t blen = 0;
    if (b) {
        b += 9;
        if (*b == '"') b++;
        blen = strcspn(b, "\"; \t");
    }
    if (blen == 0 || blen > len) {
        idempotent_body_hash(body, len, out);
        return;
    }
    char *copy = yq_malloc(len);
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        if (body[i] == b[0] && len - i >= blen && memcmp(body + i, b, blen) == 0) {
            copy[o++] = '\x01';
            i += blen;
        } else {
            copy[o++] = body[i++];
        }
    }
    idempotent_body_hash(copy, o, out);
    free(copy);
}

/* Idempotency-Key (SPEC §13): a POST repeated with the same key gets the
 * first answer and changes nothing. Keys belong to the signed-in account
 * (or, before sign-in, to the client address). The key's record commits
 * in the same transaction as the request's effects (service/idempotent.h). */
static void run_idempotent(struct request *req)
{
    const char *key = http_header(req, "Idempotency-Key");
    /* Signing in and out is not replayed: a replay could not carry the
     * cookies, and every attempt must meet the password check. */
    bool exempt = req->match.route->handler == h_login || req->match.route->handler == h_logout;
    if (!key || exempt || strcmp(req->method, "POST") != 0 || !req->db) {
        export_run(req); /* the handler, once or once per export chunk */
        return;
    }
    size_t n = strlen(key);
    bool ok = n >= 1 && n <= 128;
    for (size_t i = 0; ok && i < n; i++)
        if (key[i] < 0x21 || key[i] > 0x7e) ok = false;
    if (!ok) {
        http_reply_error(req, 400, "invalid_idempotency_key", "Idempotency-Key",
                         "Idempotency-Key 须为 1 至 128 个可见 ASCII 字符");
        return;
    }
    char scope[96];
    if (req->authenticated)
        snprintf(scope, sizeof scope, "user:%s", req->actor.user.id);
    else
        snprintf(scope, sizeof scope, "addr:%s", req->client_addr);
    char body_hash[65];
    body_fingerprint(req, body_hash);
    struct idem_key k = {scope, key, req->method, req->path, body_hash};
    enum idem_state state;
    struct idem_record rec;
    struct problem busy;
    if (idempotent_open(req->db, &k, &state, &rec, &busy) != YQ_OK) {
        http_reply_problem(req, &busy); /* 503 busy with Retry-After, or the storage's answer */
        return;
    }
    switch (state) {
    case IDEM_REPLAY:
        http_add_header(req, "Idempotent-Replayed", "true");
        http_reply_text(req, rec.status, "application/json; charset=utf-8", rec.body,
                        strlen(rec.body));
        free(rec.body);
        return;
    case IDEM_OTHER_REQUEST:
        http_reply_error(req, 422, "idempotency_key_reused", "Idempotency-Key",
                         "该 Idempotency-Key 已用于另一个请求（地址或内容不同）");
        return;
    case IDEM_NEW:
        break;
    }
    req->match.route->handler(req);
    /* A server failure decided nothing: roll it all back, the retry runs.
     * A throttled answer keeps its charge but is not replayed. Anything
     * else is the answer, stored with the effects. */
    bool commit = req->status < 500;
    int keep = commit && req->status != 429 && req->fd < 0 ? req->status : 0;
    if (idempotent_close(req->db, &k, commit, keep, req->out.data ? req->out.data : "") != YQ_OK) {
        http_reply_discard(req);
        http_add_header(req, "Retry-After", "1");
        http_reply_error(req, 503, "busy", NULL, "系统繁忙，请稍后再试");
        return;
    }
    /* Fault injection for the crash tests: the effects and the answer are
     * durable, the client never hears it. */
    if (commit && options.fault_exit_after_commit) _exit(137);
}

/* A request that failed because the storage did (disk full, failed fsync)
 * says so, whichever layer answered it as a plain server error: 507
 * insufficient_storage or 503 storage_error, never a 2xx. */
static void storage_answer(struct request *req)
{
    if (!req->db || req->status < 500 || db_fault(req->db) == YQ_OK) return;
    struct problem p;
    problem_clear(&p);
    problem_storage(&p, db_fault(req->db));
    http_reply_discard(req);
    http_reply_problem(req, &p);
}

/* Query values are text: a parameter that is not valid UTF-8 (`q=%FF`)
 * is refused naming it, before any handler binds it to SQL (PostgreSQL
 * refuses such a value; SQLite would store or compare the bytes). */
static bool query_is_text(struct request *req)
{
    const char *bad = http_query_bad_text(req);
    if (!bad) return true;
    char field[64];
    utf8_sanitize(field, sizeof field, bad);
    http_reply_error(req, 422, "invalid_field", field, "参数 %s 不是有效的 UTF-8 文本", field);
    return false;
}

bool api_dispatch(struct request *req)
{
    char allow[64];
    enum router_result r = router_match(api_routes, api_route_count, req->method, req->path,
                                        &req->match, allow, sizeof allow);
    bool api_path = strncmp(req->path, "/api/", 5) == 0;
    if (r == ROUTER_NOT_FOUND) {
        if (!api_path) return false;
        http_reply_error(req, 404, "not_found", NULL, "接口不存在：%s", req->path);
        return true;
    }
    if (r == ROUTER_BAD_METHOD) {
        http_add_header(req, "Allow", allow);
        http_reply_error(req, 405, "method_not_allowed", NULL, "该接口不支持 %s 方法", req->method);
        return true;
    }
    if (authorize(req, req->match.route) && query_is_text(req)) run_idempotent(req);
    storage_answer(req);
    return true;
}

/* Cookie attributes for the session pair. */
void api_set_session_cookies(struct request *req, const char *token, const char *csrf, int max_age)
{
    char v[256];
    const char *secure = options.cookie_secure ? "; Secure" : "";
    snprintf(v, sizeof v, "yq_session=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", token,
             max_age, secure);
    http_add_header(req, "Set-Cookie", v);
    snprintf(v, sizeof v, "yq_csrf=%s; Path=/; Max-Age=%d; SameSite=Strict%s", csrf, max_age,
             secure);
    http_add_header(req, "Set-Cookie", v);
}

bool api_upload(struct request *req, struct multipart_part *part)
{
    const char *ct = http_header(req, "Content-Type");
    if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0) {
        http_reply_error(req, 415, "unsupported_media_type", NULL,
                         "附件须以 multipart/form-data 上传，字段名 file");
        return false;
    }
    if (!multipart_find(ct, req->body.data ? req->body.data : "", req->body.len, "file", part)) {
        http_reply_error(req, 400, "malformed_multipart", "file",
                         "上传内容格式不正确，或缺少名为 file 的文件字段");
        return false;
    }
    return true;
}

void api_reply_upload(struct request *req, json_t *result, const struct problem *p)
{
    if (!result && p->status == YQ_ELIMIT) {
        http_reply_error(req, 413, p->code, p->field, "%s", p->message);
        return;
    }
    api_reply(req, 201, result, p);
}

void api_reply_file(struct request *req, int fd, const char *type, const char *name,
                    const struct problem *p)
{
    if (fd < 0) {
        http_reply_problem(req, p);
        return;
    }
    off_t size = lseek(fd, 0, SEEK_END);
    lseek(fd, 0, SEEK_SET);
    req->fd = fd;
    req->fd_size = size;
    req->status = 200;
    req->replied = true;
    req->content_type = arena_strdup(&req->arena, type);
    /* The name travels percent-encoded (RFC 5987): it may be Chinese. */
    char disp[900];
    size_t j = (size_t)snprintf(disp, sizeof disp, "attachment; filename*=UTF-8''");
    for (const unsigned char *s = (const unsigned char *)name; *s && j + 4 < sizeof disp; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
            *s == '.' || *s == '-' || *s == '_')
            disp[j++] = (char)*s;
        else
            j += (size_t)snprintf(disp + j, sizeof disp - j, "%%%02X", *s);
    }
    disp[j] = '\0';
    http_add_header(req, "Content-Disposition", disp);
    http_add_header(req, "Cache-Control", "private, no-store");
}
