/* The client's address behind trusted reverse proxies (X-Forwarded-For).
 * The header is believed only when the connection comes from a proxy the
 * operator listed: anyone else could write any address into it. Pure. */
#ifndef YQ_CORE_FORWARDED_H
#define YQ_CORE_FORWARDED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROXY_LIST_MAX 32

/* One trusted network: an address and a prefix length (a whole address
 * when no "/bits" was given). */
struct proxy_net {
    int family; /* AF_INET or AF_INET6 */
    uint8_t addr[16];
    int bits;
};

struct proxy_list {
    int n;
    struct proxy_net net[PROXY_LIST_MAX];
};

/* Parses "127.0.0.1, 10.0.0.0/8, ::1" (commas or spaces between entries;
 * "" is an empty list). YQ_OK, or YQ_EINVAL with err naming the entry. */
int proxy_list_parse(const char *spec, struct proxy_list *out, char *err, size_t errlen);
/* Whether the numeric address `addr` is in the list (false when it does
 * not parse). */
bool proxy_list_contains(const struct proxy_list *l, const char *addr);

/* Whether `s` is a numeric IPv4 or IPv6 address. */
bool forwarded_addr_valid(const char *s);

/* The client address of a request that came from `peer` carrying
 * X-Forwarded-For `xff` (all its lines joined with commas, in order; may be
 * NULL). When the peer is trusted the list is walked from the right,
 * skipping trusted proxies; the first address that is not one is the
 * client. A malformed entry ends the walk at the hop to its right, so a
 * garbled header never yields a made-up address. Writes the address,
 * normalised, into out (peer itself when nothing is believed); out may be
 * peer. */
void forwarded_client_addr(const struct proxy_list *trusted, const char *peer, const char *xff,
                           char *out, size_t outlen);

#endif
