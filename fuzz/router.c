/* The router (src/http/router.c) with the real route table
 * (src/api/routes.c). The first byte picks the method (or the second line
 * is taken as one), the rest is the path. A match has the asked method
 * (HEAD may take GET), its parameters are non-empty, shorter than
 * ROUTE_PARAM_MAX and free of '/', and putting them into the pattern gives
 * back the path; no other route matching the path has more literal
 * segments. A 405 lists at least one method. Then the matched route's
 * pattern is filled with the path's first segment as every parameter and
 * must route to a route of that method. */
#include "api/api.h"
#include "http/router.h"
#include "fuzz.h"

static const char *const methods[] = {"GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS"};

/* Writes pattern with its {params} replaced; false if it does not fit. */
static bool fill(const char *pattern, const struct route_match *m, const char *value, char *out,
                 size_t cap)
{
    size_t j = 0;
    int k = 0;
    for (const char *p = pattern; *p;) {
        const char *add = p;
        size_t n = 1;
        if (*p == '{') {
            const char *close = strchr(p, '}');
            FUZZ_CHECK(close);
            add = value ? value : m->params[k].value;
            n = strlen(add);
            k++;
            p = close + 1;
        } else {
            p++;
        }
        if (j + n >= cap) return false;
        memcpy(out + j, add, n);
        j += n;
    }
    out[j] = '\0';
    return true;
}

static int literals(const char *pattern)
{
    int n = 0;
    for (const char *p = pattern; *p; p++)
        if (*p == '/' && p[1] != '{') n++;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    const char *method = methods[data[0] % 7];
    char *path = fuzz_cstring(data + 1, size - 1);
    char *custom = NULL;
    char *nl = strchr(path, '\n');
    if (data[0] >= 0xf0 && nl) {
        *nl = '\0';
        custom = path;
        method = custom;
        path = nl + 1;
    }
    struct route_match m;
    char allow[128];
    memset(allow, 'x', sizeof allow);
    enum router_result r =
        router_match(api_routes, api_route_count, method, path, &m, allow, sizeof allow);
    FUZZ_CHECK(memchr(allow, '\0', sizeof allow));
    if (r == ROUTER_BAD_METHOD) FUZZ_CHECK(allow[0] != '\0');
    if (r == ROUTER_FOUND) {
        FUZZ_CHECK(m.route == &api_routes[m.index]);
        FUZZ_CHECK(strcmp(m.route->method, method) == 0 ||
                   (strcmp(method, "HEAD") == 0 && strcmp(m.route->method, "GET") == 0));
        FUZZ_CHECK(m.nparams >= 0 && m.nparams <= ROUTE_MAX_PARAMS);
        for (int i = 0; i < m.nparams; i++) {
            size_t n = strlen(m.params[i].value);
            FUZZ_CHECK(n > 0 && n < ROUTE_PARAM_MAX && !strchr(m.params[i].value, '/'));
            FUZZ_CHECK(strstr(m.route->pattern, m.params[i].name));
        }
        char back[4096];
        FUZZ_CHECK(fill(m.route->pattern, &m, NULL, back, sizeof back));
        FUZZ_CHECK(strcmp(back, path) == 0);
        for (size_t i = 0; i < api_route_count; i++) {
            struct route_match other;
            if (strcmp(api_routes[i].method, m.route->method) != 0) continue;
            if (router_match(&api_routes[i], 1, m.route->method, path, &other, NULL, 0) ==
                ROUTER_FOUND)
                FUZZ_CHECK(literals(api_routes[i].pattern) <= literals(m.route->pattern));
        }
        /* The same route with other parameter values. */
        char value[ROUTE_PARAM_MAX] = "x";
        const char *seg = path + (path[0] == '/');
        size_t n = strcspn(seg, "/");
        if (n > 0 && n < sizeof value) {
            memcpy(value, seg, n);
            value[n] = '\0';
        }
        char other_path[4096];
        struct route_match again;
        if (fill(m.route->pattern, &m, value, other_path, sizeof other_path))
            FUZZ_CHECK(router_match(api_routes, api_route_count, m.route->method, other_path,
                                    &again, NULL, 0) == ROUTER_FOUND);
    }
    free(custom ? custom : path);
    return 0;
}
