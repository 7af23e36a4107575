/* Route matching, segment by segment. */
#include "http/router.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The request path cut into segments once, so that matching it against
 * every pattern of the table costs a walk of each pattern and nothing
 * more (it was a strchr per segment per route: a tenth of a public read's
 * CPU, docs/benchmarks.md). */
#define PATH_MAX_SEGMENTS 16

struct path_segments {
    int n;
    const char *s[PATH_MAX_SEGMENTS];
    size_t len[PATH_MAX_SEGMENTS];
};

/* False when the path does not start with '/' or has too many segments
 * (no pattern has that many). An empty segment ("//", trailing '/') is
 * kept: it matches no literal and no parameter. */
static bool split_path(const char *path, struct path_segments *ps)
{
    ps->n = 0;
    if (path[0] != '/') return false;
    const char *q = path;
    while (*q == '/') {
        if (ps->n == PATH_MAX_SEGMENTS) return false;
        const char *start = ++q;
        while (*q && *q != '/') q++;
        ps->s[ps->n] = start;
        ps->len[ps->n++] = (size_t)(q - start);
    }
    return true;
}

/* Matches the split path against pattern; fills params and returns the
 * number of literal segments, or -1 when it does not match. */
static int match_pattern(const char *pattern, const struct path_segments *ps,
                         struct route_match *m)
{
    const char *p = pattern;
    int literals = 0;
    m->nparams = 0;
    for (int i = 0; i < ps->n; i++) {
        if (*p != '/') return -1;
        p++;
        const char *seg = ps->s[i];
        size_t ql = ps->len[i];
        if (*p == '{') {
            const char *name = ++p;
            while (*p && *p != '}') p++;
            if (*p != '}' || m->nparams >= ROUTE_MAX_PARAMS) return -1;
            size_t nl = (size_t)(p - name);
            p++;
            if (*p && *p != '/') return -1; /* "{id}x": not a parameter segment */
            if (ql == 0 || ql >= ROUTE_PARAM_MAX) return -1;
            if (nl > sizeof m->params[0].name - 1) nl = sizeof m->params[0].name - 1;
            memcpy(m->params[m->nparams].name, name, nl);
            m->params[m->nparams].name[nl] = '\0';
            memcpy(m->params[m->nparams].value, seg, ql);
            m->params[m->nparams].value[ql] = '\0';
            m->nparams++;
        } else {
            size_t k = 0;
            while (k < ql && p[k] == seg[k]) k++;
            if (k < ql || (p[k] && p[k] != '/')) return -1;
            p += k;
            literals++;
        }
    }
    return *p ? -1 : literals;
}

/* Per table, computed once: each pattern's segment count and a hash of
 * its leading literal segments (up to KEY_SEGMENTS, 0 when one of them is
 * a parameter). A path is then compared in full only with the patterns
 * of its length whose key agrees ("/api/v1/public/…" meets a handful of
 * the 160 routes, not all of them). */
#define KEY_SEGMENTS 3
#define MAX_TABLES 8

struct table_index {
    const struct route *table;
    size_t n;
    uint8_t *nseg;
    uint32_t *key;
};

static struct table_index indexes[MAX_TABLES];
static _Atomic int nindexes;
static pthread_mutex_t index_lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t fnv(uint32_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return (h ^ '/') * 16777619u;
}

static uint32_t path_key(const struct path_segments *ps)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < ps->n && i < KEY_SEGMENTS; i++) h = fnv(h, ps->s[i], ps->len[i]);
    return h | 1u; /* never 0, the "no key" of a pattern */
}

static void index_pattern(const char *pattern, uint8_t *nseg, uint32_t *key)
{
    struct path_segments ps;
    *nseg = 0;
    *key = 0;
    if (!split_path(pattern, &ps)) return;
    *nseg = (uint8_t)ps.n;
    for (int i = 0; i < ps.n && i < KEY_SEGMENTS; i++)
        if (ps.len[i] && ps.s[i][0] == '{') return;
    *key = path_key(&ps);
}

/* The index of table, made on first use; NULL when there is no room (the
 * matcher then compares every pattern). */
static const struct table_index *index_of(const struct route *table, size_t n)
{
    int k = atomic_load_explicit(&nindexes, memory_order_acquire);
    for (int i = 0; i < k; i++)
        if (indexes[i].table == table && indexes[i].n == n) return &indexes[i];
    pthread_mutex_lock(&index_lock);
    const struct table_index *found = NULL;
    k = atomic_load_explicit(&nindexes, memory_order_relaxed);
    for (int i = 0; i < k && !found; i++)
        if (indexes[i].table == table && indexes[i].n == n) found = &indexes[i];
    if (!found && k < MAX_TABLES) {
        struct table_index *t = &indexes[k];
        t->nseg = calloc(n ? n : 1, sizeof *t->nseg);
        t->key = calloc(n ? n : 1, sizeof *t->key);
        if (t->nseg && t->key) {
            for (size_t i = 0; i < n; i++) index_pattern(table[i].pattern, &t->nseg[i], &t->key[i]);
            t->table = table;
            t->n = n;
            atomic_store_explicit(&nindexes, k + 1, memory_order_release);
            found = t;
        } else {
            free(t->nseg);
            free(t->key);
        }
    }
    pthread_mutex_unlock(&index_lock);
    return found;
}

/* Whether pattern i may match the path, by the index alone. */
static bool may_match(const struct table_index *ix, size_t i, int nseg, uint32_t key)
{
    return !ix || (ix->nseg[i] == nseg && (ix->key[i] == 0 || ix->key[i] == key));
}

enum router_result router_match(const struct route *table, size_t n, const char *method,
                                const char *path, struct route_match *m, char *allow,
                                size_t allow_len)
{
    int best = -1, best_any = -1;
    struct route_match tmp;
    if (allow_len) allow[0] = '\0';
    size_t used = 0;
    struct path_segments ps;
    if (!split_path(path, &ps)) return ROUTER_NOT_FOUND;
    const struct table_index *ix = index_of(table, n);
    uint32_t key = path_key(&ps);
    for (size_t i = 0; i < n; i++) {
        if (!may_match(ix, i, ps.n, key)) continue;
        int lit = match_pattern(table[i].pattern, &ps, &tmp);
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
        if (!may_match(ix, i, ps.n, key) || match_pattern(table[i].pattern, &ps, &tmp) < 0)
            continue;
        if (allow_len && !strstr(allow, table[i].method)) {
            int w = snprintf(allow + used, allow_len - used, "%s%s", used ? ", " : "",
                             table[i].method);
            if (w > 0 && (size_t)w < allow_len - used) used += (size_t)w;
        }
    }
    return ROUTER_BAD_METHOD;
}
