/* X-Forwarded-For behind trusted proxies (see forwarded.h). */
#include "core/forwarded.h"
#include "core/status.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses a numeric address into n; false when it is not one. An IPv4
 * address inside IPv6 (::ffff:a.b.c.d) counts as the IPv4 address. */
static bool parse_addr(const char *s, struct proxy_net *n)
{
    memset(n, 0, sizeof *n);
    if (inet_pton(AF_INET, s, n->addr) == 1) {
        n->family = AF_INET;
        n->bits = 32;
        return true;
    }
    if (inet_pton(AF_INET6, s, n->addr) == 1) {
        static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (memcmp(n->addr, mapped, 12) == 0) {
            memmove(n->addr, n->addr + 12, 4);
            memset(n->addr + 4, 0, 12);
            n->family = AF_INET;
            n->bits = 32;
        } else {
            n->family = AF_INET6;
            n->bits = 128;
        }
        return true;
    }
    return false;
}

static bool in_net(const struct proxy_net *net, const struct proxy_net *a)
{
    if (net->family != a->family) return false;
    int full = net->bits / 8, rest = net->bits % 8;
    if (memcmp(net->addr, a->addr, (size_t)full) != 0) return false;
    if (rest == 0) return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (net->addr[full] & mask) == (a->addr[full] & mask);
}

int proxy_list_parse(const char *spec, struct proxy_list *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *p = spec ? spec : "";
    while (*p) {
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        if (!*p) break;
        size_t len = strcspn(p, ", \t");
        char entry[64];
        if (len >= sizeof entry) {
            snprintf(err, errlen, "可信代理地址过长：%.*s…", 20, p);
            return YQ_EINVAL;
        }
        memcpy(entry, p, len);
        entry[len] = '\0';
        p += len;
        if (out->n == PROXY_LIST_MAX) {
            snprintf(err, errlen, "可信代理最多 %d 项", PROXY_LIST_MAX);
            return YQ_EINVAL;
        }
        struct proxy_net *net = &out->net[out->n];
        char *slash = strchr(entry, '/');
        long bits = -1;
        if (slash) {
            *slash = '\0';
            char *end;
            errno = 0;
            bits = strtol(slash + 1, &end, 10);
            if (errno || end == slash + 1 || *end || bits < 0) bits = -2;
        }
        if (!parse_addr(entry, net) || bits == -2 || bits > net->bits ||
            (bits >= 0 && net->family == AF_INET && strchr(entry, ':'))) {
            if (slash) *slash = '/';
            snprintf(err, errlen, "可信代理须为 IP 地址或网段（如 10.0.0.0/8），得到：%s", entry);
            return YQ_EINVAL;
        }
        if (bits >= 0) net->bits = (int)bits;
        out->n++;
    }
    return YQ_OK;
}

bool proxy_list_contains(const struct proxy_list *l, const char *addr)
{
    struct proxy_net a;
    if (!l || !addr || !parse_addr(addr, &a)) return false;
    for (int i = 0; i < l->n; i++)
        if (in_net(&l->net[i], &a)) return true;
    return false;
}

bool forwarded_addr_valid(const char *s)
{
    struct proxy_net a;
    return s && parse_addr(s, &a);
}

/* The normalised text of a parsed address. */
static void format_addr(const struct proxy_net *a, char *out, size_t outlen)
{
    char text[INET6_ADDRSTRLEN];
    if (!inet_ntop(a->family, a->addr, text, sizeof text)) text[0] = '\0';
    snprintf(out, outlen, "%s", text);
}

/* One entry of the list, trimmed, with an IPv4 ":port" or a bracketed
 * IPv6 "[addr]:port" taken off. False when it is not an address. */
static bool parse_entry(const char *s, size_t len, struct proxy_net *a)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    char e[64];
    if (len == 0 || len >= sizeof e) return false;
    memcpy(e, s, len);
    e[len] = '\0';
    char *text = e;
    if (e[0] == '[') {
        char *close = strchr(e, ']');
        if (!close) return false;
        *close = '\0';
        text = e + 1;
    } else {
        char *colon = strchr(e, ':');
        if (colon && !strchr(colon + 1, ':')) *colon = '\0'; /* a.b.c.d:port */
    }
    return parse_addr(text, a);
}

static bool trusted_hop(const struct proxy_list *l, const struct proxy_net *a)
{
    for (int i = 0; l && i < l->n; i++)
        if (in_net(&l->net[i], a)) return true;
    return false;
}

void forwarded_client_addr(const struct proxy_list *trusted, const char *peer, const char *xff,
                           char *out, size_t outlen)
{
    struct proxy_net hop;
    if (!peer || !parse_addr(peer, &hop) || !trusted_hop(trusted, &hop)) {
        if (out != peer) snprintf(out, outlen, "%s", peer ? peer : "");
        return;
    }
    /* Walk the list from the right while we stand on a trusted proxy. */
    const char *end = xff ? xff + strlen(xff) : NULL;
    while (end && trusted_hop(trusted, &hop)) {
        const char *start = end;
        while (start > xff && start[-1] != ',')
            start--;
        struct proxy_net next;
        if (!parse_entry(start, (size_t)(end - start), &next)) break;
        hop = next;
        end = start > xff ? start - 1 : NULL;
    }
    format_addr(&hop, out, outlen);
}
