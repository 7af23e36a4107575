/* Route matching, segment by segment. */
#include "http/router.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Copies one path segment (already percent-decoded by the server) into
 * out; false when empty or too long. */
static bool copy_segment(const char *s, size_t n, char *out, size_t cap)
{
    if (n == 0 || n >= cap) return false;
    memcpy(out, s, n);
    out[n] = '\0';
    return true;
}

/* Matches path against pattern; fills params and returns the number of
 * literal segments, or -1 when it does not match. */
static int match_pattern(const char *pattern, const char *path, struct route_match *m)
{
    const char *p = pattern, *q = path;
    int literals = 0;
    m->nparams = 0;
    while (*p && *q) {
        if (*p != '/' || *q != '/') return -1;
        p++;
        q++;
        const char *pe = strchr(p, '/'), *qe = strchr(q, '/');
        size_t pl = pe ? (size_t)(pe - p) : strlen(p);
        size_t ql = qe ? (size_t)(qe - q) : strlen(q);
        if (pl >= 2 && p[0] == '{' && p[pl - 1] == '}') {
            if (m->nparams >= ROUTE_MAX_PARAMS || ql == 0) return -1;
            size_t nl = pl - 2 < sizeof m->params[0].name - 1 ? pl - 2
                                                              : sizeof m->params[0].name - 1;
            memcpy(m->params[m->nparams].name, p + 1, nl);
            m->params[m->nparams].name[nl] = '\0';
            if (!copy_segment(q, ql, m->params[m->nparams].value, ROUTE_PARAM_MAX))
                return -1;
            m->nparams++;
        } else {
            if (pl != ql || memcmp(p, q, pl) != 0) return -1;
            literals++;
        }
        p += pl;
        q += ql;
    }
    return (*p || *q) ? -1 : literals;
}

enum router_result router_match(const struct route *table, size_t n, const char *method,
                                const char *path, struct route_match *m, char *allow,
                                size_t allow_len)
{
    int best = -1, best_any = -1;
    struct route_match tmp;
    if (allow_len) allow[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        int lit = match_pattern(table[i].pattern, path, &tmp);
        if (lit < 0) continue;
        bool same_method = strcmp(table[i].method, method) == 0 ||
                           (strcmp(method, "HEAD") == 0 && strcmp(table[i].method, "GET") == 0);
        if (lit > best_any) best_any = lit;
        if (same_method && lit > best) {
            best = lit;
            *m = tmp;
            m->route = &table[i];
            m->index = (int)i;
        }
    }
    if (best >= 0) return ROUTER_FOUND;
    if (best_any < 0) return ROUTER_NOT_FOUND;
    /* The path exists under other methods: list them. */
    for (size_t i = 0; i < n; i++) {
        if (match_pattern(table[i].pattern, path, &tmp) < 0) continue;
        if (allow_len && !strstr(allow, table[i].method)) {
            int w = snprintf(allow + used, allow_len - used, "%s%s", used ? ", " : "",
                             table[i].method);
            if (w > 0 && (size_t)w < allow_len - used) used += (size_t)w;
        }
    }
    return ROUTER_BAD_METHOD;
}
