/* The command line's export (`yunquan export`, api/export.h): the same
 * path as GET /api/v1/<list>?format=xlsx|csv, without a server. A
 * request is made in the process (no connection: its query is a list of
 * its own, http/request.h), routed through the API's table, its roles
 * checked against the actor as dispatch.c's authorize does, and run by
 * export_run: the file is the one the web's export button gives. */
#include "api/api.h"
#include "api/export.h"
#include "core/mem.h"
#include "core/status.h"
#include "core/validate.h"
#include "embedded.h"
#include "store/id.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void fail(struct export_cli_result *out, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct export_cli_result *out, int status, const char *fmt, ...)
{
    out->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->message, sizeof out->message, fmt, ap);
    va_end(ap);
}

/* "vouchers", "/vouchers", "api/v1/vouchers", "/api/v1/vouchers" →
 * "/api/v1/vouchers". */
static void api_path(const char *list, char *out, size_t n)
{
    while (*list == '/')
        list++;
    if (strncmp(list, "api/v1/", 7) == 0) list += 7;
    snprintf(out, n, "/api/v1/%s", list);
    size_t len = strlen(out);
    while (len > 8 && out[len - 1] == '/')
        out[--len] = '\0';
}

static struct request *request_make(struct db *db, const struct actor *actor, const char *path)
{
    struct request *req = yq_calloc(1, sizeof *req);
    arena_init(&req->arena);
    req->method = "GET";
    req->path = arena_strdup(&req->arena, path);
    buf_init(&req->body, 1);
    buf_init(&req->out, 64 * 1024 * 1024);
    req->fd = -1;
    id_new(req->request_id);
    snprintf(req->client_addr, sizeof req->client_addr, "local");
    req->db = db;
    req->actor = *actor;
    for (int i = 0; i < req->actor.ncounties; i++) /* into this copy's own store */
        if (actor->counties[i] == actor->county_store[i])
            req->actor.counties[i] = req->actor.county_store[i];
    req->actor.request_id = req->request_id;
    req->actor.client_addr = req->client_addr;
    req->authenticated = true;
    return req;
}

static void request_free(struct request *req)
{
    if (req->fd >= 0) close(req->fd);
    buf_cleanup(&req->body);
    buf_cleanup(&req->out);
    arena_free(&req->arena);
    free(req);
}

/* The query, in the order given (http_query answers the first). */
static void query_add(struct request *req, struct header ***tail, const char *name,
                      const char *value)
{
    struct header *h = arena_alloc(&req->arena, sizeof *h);
    h->name = arena_strdup(&req->arena, name);
    h->value = arena_strdup(&req->arena, value);
    h->next = NULL;
    **tail = h;
    *tail = &h->next;
}

/* The reply's error message ({"error":{"message":…}}), else a general one. */
static void error_of(struct request *req, struct export_cli_result *out)
{
    out->status = req->status ? req->status : 500;
    json_t *body = req->out.data ? json_loadb(req->out.data, req->out.len, 0, NULL) : NULL;
    const char *msg = json_string_value(json_object_get(json_object_get(body, "error"), "message"));
    snprintf(out->message, sizeof out->message, "%s", msg ? msg : "导出失败");
    json_decref(body);
}

/* The route and whether the actor may read it; false with out filled. */
static bool admit(struct request *req, const char *list, struct export_cli_result *out)
{
    char allow[64];
    if (router_match(api_routes, api_route_count, "GET", req->path, &req->match, allow,
                     sizeof allow) != ROUTER_FOUND ||
        !export_spec_find(req->match.route->pattern)) {
        fail(out, 404, "没有可导出的列表：%s（yunquan export --list 列出全部）", list);
        return false;
    }
    const struct route *r = req->match.route;
    if (!(r->roles & ROLE_PUBLIC) && !(r->roles & (unsigned)req->actor.role)) {
        fail(out, 403, "当前角色（%s）无权执行此操作：导出%s", role_name_zh(req->actor.role),
             export_spec_find(r->pattern)->title);
        return false;
    }
    /* As dispatch.c's query_is_text: a value that is not UTF-8 text. */
    const char *bad = http_query_bad_text(req);
    if (bad) {
        char field[64];
        utf8_sanitize(field, sizeof field, bad);
        fail(out, 422, "参数 %s 不是有效的 UTF-8 文本", field);
        return false;
    }
    return true;
}

static bool documented(json_t *doc, json_t *params, const char *name)
{
    size_t i;
    json_t *param;
    json_array_foreach(params, i, param)
    {
        const char *n = export_query_param_name(doc, param);
        if (n && strcmp(n, name) == 0) return true;
    }
    return false;
}

/* A filter the list does not have is ignored over HTTP as here; a typed
 * name that is no filter of the list would export the whole list without
 * a word, so the operator is told (the OpenAPI document names them). */
static void note_unknown_filters(const char *pattern, const char *const *names, int n,
                                 struct export_cli_result *out)
{
    json_t *doc = json_loadb(yq_data_openapi_json, yq_data_openapi_json_len, 0, NULL);
    json_t *path = json_object_get(json_object_get(doc, "paths"), pattern);
    json_t *get = json_object_get(path, "get");
    if (!get) {
        json_decref(doc);
        return;
    }
    json_t *own = json_object_get(get, "parameters"), *shared = json_object_get(path, "parameters");
    size_t used = 0;
    for (int i = 0; i < n && used < sizeof out->note; i++) {
        if (documented(doc, own, names[i]) || documented(doc, shared, names[i])) continue;
        int k = snprintf(out->note + used, sizeof out->note - used, "%s%s", used ? "、" : "",
                         names[i]);
        if (k < 0) break;
        used += (size_t)k;
    }
    if (used) {
        char unknown[sizeof out->note];
        snprintf(unknown, sizeof unknown, "%s", out->note);
        used = (size_t)snprintf(out->note, sizeof out->note,
                                "该列表没有筛选条件 %s，已忽略（与网页相同）；可用的筛选条件：",
                                unknown);
        size_t i, shown = 0;
        json_t *param;
        json_array_foreach(own, i, param)
        {
            const char *name = export_query_param_name(doc, param);
            if (!name || strcmp(name, "page") == 0 || strcmp(name, "page_size") == 0 ||
                strcmp(name, "format") == 0 || used >= sizeof out->note)
                continue;
            int k = snprintf(out->note + used, sizeof out->note - used, "%s%s",
                             shown++ ? "、" : "", name);
            if (k > 0) used += (size_t)k;
        }
        if (!shown && used < sizeof out->note)
            snprintf(out->note + used, sizeof out->note - used, "无");
    }
    json_decref(doc);
}

void export_cli_run(struct db *db, const struct actor *actor, const char *list, const char *format,
                    const char *const *names, const char *const *values, int n,
                    struct export_cli_result *out)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    char path[1024];
    api_path(list, path, sizeof path);
    struct request *req = request_make(db, actor, path);
    struct header **tail = &req->query;
    for (int i = 0; i < n; i++)
        query_add(req, &tail, names[i], values[i]);
    query_add(req, &tail, "format", format);
    if (!admit(req, list, out)) {
        request_free(req);
        return;
    }
    const struct export_spec *s = export_spec_find(req->match.route->pattern);
    size_t plen = strlen(s->route);
    bool excel_only = plen > 5 && strcmp(s->route + plen - 5, ".xlsx") == 0;
    if (excel_only && strcmp(format, "xlsx") != 0) {
        fail(out, 422, "%s只提供 Excel 导出，请用 --format xlsx", s->title);
        request_free(req);
        return;
    }
    note_unknown_filters(s->route, names, n, out);
    export_run(req);
    if (req->replied && req->status == 200 && req->fd >= 0) {
        out->status = 200;
        out->fd = req->fd;
        req->fd = -1;
        out->rows = req->export_rows;
        bool csv = req->content_type && strncmp(req->content_type, "text/csv", 8) == 0;
        export_file_name(s->title, csv ? "csv" : "xlsx", out->file_name, sizeof out->file_name);
    } else {
        error_of(req, out);
    }
    request_free(req);
}
