/* Building replies and reading request data. */
#include "http/request.h"
#include "core/status.h"
#include "core/validate.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *http_query(struct request *req, const char *key)
{
    if (!req->conn) {
        for (const struct header *q = req->query; q; q = q->next)
            if (strcmp(q->name, key) == 0) return q->value;
        return NULL;
    }
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

static enum MHD_Result first_bad_text(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    (void)kind;
    const char **bad = cls;
    if ((key && utf8_length(key) < 0) || (value && utf8_length(value) < 0)) {
        *bad = key && utf8_length(key) >= 0 ? key : "query";
        return MHD_NO;
    }
    return MHD_YES;
}

const char *http_query_bad_text(struct request *req)
{
    const char *bad = NULL;
    if (!req->conn) {
        for (const struct header *q = req->query; q && !bad; q = q->next)
            first_bad_text(&bad, MHD_GET_ARGUMENT_KIND, q->name, q->value);
        return bad;
    }
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, first_bad_text, &bad);
    return bad;
}

const char *http_header(struct request *req, const char *name)
{
    if (!req->conn) return NULL;
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(struct request *req, const char *name)
{
    if (!req->conn) return NULL;
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *http_param(struct request *req, const char *name)
{
    for (int i = 0; i < req->match.nparams; i++)
        if (strcmp(req->match.params[i].name, name) == 0) return req->match.params[i].value;
    return NULL;
}

static int parse_positive(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 1) return YQ_EINVAL;
    *out = v;
    return YQ_OK;
}

int http_paging(struct request *req, int64_t *offset, int64_t *limit, struct problem *p)
{
    /* An export (Excel or CSV) of a page asked for may hold up to 10,000
     * rows; a whole-list export is read a chunk at a time. */
    const char *format = http_query(req, "format");
    bool export = format && (strcmp(format, "xlsx") == 0 || strcmp(format, "csv") == 0);
    if (req->export_stream) { /* rows come one by one, whatever the page */
        *offset = 0;
        *limit = HTTP_EXPORT_MAX;
        return YQ_OK;
    }
    if (req->export_whole) {
        req->export_paged = true;
        *offset = req->export_offset;
        *limit = HTTP_EXPORT_CHUNK;
        return YQ_OK;
    }
    int64_t page = 1, size = export ? 10000 : 20, max = export ? 10000 : 200;
    const char *s = http_query(req, "page");
    if (s && parse_positive(s, &page) != YQ_OK)
        return problem_set(p, YQ_EINVAL, "invalid_field", "page", "page 须为不小于 1 的整数");
    s = http_query(req, "page_size");
    if (s && (parse_positive(s, &size) != YQ_OK || size > max))
        return problem_set(p, YQ_EINVAL, "invalid_field", "page_size",
                           "page_size 须为 1 至 %lld 的整数", (long long)max);
    if (page > INT64_MAX / size)
        return problem_set(p, YQ_EINVAL, "invalid_field", "page", "page 过大");
    *offset = (page - 1) * size;
    *limit = size;
    return YQ_OK;
}

void http_add_header(struct request *req, const char *name, const char *value)
{
    struct header *h = arena_alloc(&req->arena, sizeof *h);
    h->name = arena_strdup(&req->arena, name);
    h->value = arena_strdup(&req->arena, value);
    h->next = req->headers;
    req->headers = h;
}

void http_reply_text(struct request *req, int status, const char *content_type, const char *text,
                     size_t len)
{
    if (req->replied) return;
    req->replied = true;
    req->status = status;
    req->content_type = content_type;
    buf_reset(&req->out);
    if (buf_append(&req->out, text, len) != YQ_OK) {
        req->status = 500;
        buf_reset(&req->out);
    }
}

void http_reply_discard(struct request *req)
{
    req->replied = false;
    req->status = 0;
    req->content_type = NULL;
    req->headers = NULL;
    buf_reset(&req->out);
}

static int append_json(const char *buffer, size_t size, void *data)
{
    return buf_append(data, buffer, size) == YQ_OK ? 0 : -1;
}

/* Written straight into the reply's buffer (no string made and copied). */
struct buf *http_reply_json_begin(struct request *req)
{
    if (req->replied) return NULL;
    buf_reset(&req->out);
    return &req->out;
}

void http_reply_json_end(struct request *req, int status, int rc)
{
    if (req->replied) return;
    if (rc != YQ_OK) {
        buf_reset(&req->out);
        http_reply_error(req, 500, "internal", NULL, "服务器内部错误");
        return;
    }
    req->replied = true;
    req->status = status;
    req->content_type = "application/json; charset=utf-8";
}

void http_reply_json(struct request *req, int status, json_t *body)
{
    struct buf *out = http_reply_json_begin(req);
    int rc = out && body ? json_dump_callback(body, append_json, out, JSON_COMPACT | JSON_ENCODE_ANY)
                         : -1;
    json_decref(body);
    if (out) http_reply_json_end(req, status, rc == 0 ? YQ_OK : YQ_ERR);
}

void http_reply_error(struct request *req, int status, const char *code, const char *field,
                      const char *fmt, ...)
{
    char raw[512], msg[1024], clean_field[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    utf8_trim_partial(raw);
    utf8_sanitize(msg, sizeof msg, raw);
    json_t *err = json_pack("{s:s, s:s}", "code", code, "message", msg);
    /* SPEC §13's shape, always: null when no one field is at fault. */
    if (field && field[0]) {
        utf8_sanitize(clean_field, sizeof clean_field, field);
        json_object_set_new(err, "field", json_string(clean_field));
    } else {
        json_object_set_new(err, "field", json_null());
    }
    http_reply_json(req, status, json_pack("{s:o}", "error", err));
}

int http_status_of(int yq_status)
{
    switch (yq_status) {
    case YQ_OK:
        return 200;
    case YQ_EBADREQ:
        return 400;
    case YQ_EUNAUTH:
        return 401;
    case YQ_EFORBIDDEN:
        return 403;
    case YQ_ENOTFOUND:
        return 404;
    case YQ_ECONFLICT:
        return 409;
    case YQ_EINVAL:
        return 422;
    case YQ_ELIMIT:
        return 429;
    case YQ_EBUSY:
    case YQ_EIO:
        return 503;
    case YQ_ENOSPACE:
        return 507;
    default:
        return 500;
    }
}

void http_reply_problem(struct request *req, const struct problem *p)
{
    /* A failure nobody explained is a defect of ours: never a 200 with an
     * error body. Logged, answered 500. */
    if (p->status == YQ_OK) {
        fprintf(stderr, "yunquan: %s %s failed without a problem set; answered 500\n", req->method,
                req->path);
        http_reply_error(req, 500, "internal", NULL, "服务器内部错误");
        return;
    }
    if (p->status == YQ_ELIMIT && p->retry_after > 0) {
        char v[32];
        snprintf(v, sizeof v, "%lld", (long long)p->retry_after);
        http_add_header(req, "Retry-After", v);
    }
    if (p->status == YQ_EBUSY) http_add_header(req, "Retry-After", "1");
    if (p->status == YQ_ENOSPACE || p->status == YQ_EIO) http_add_header(req, "Retry-After", "30");
    http_reply_error(req, http_status_of(p->status), p->code[0] ? p->code : "error", p->field, "%s",
                     p->message[0] ? p->message : "请求失败");
}
