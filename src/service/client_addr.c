/* Trusted proxies and the client address (see client_addr.h). The list is
 * written once at start-up, before the worker threads run, and only read
 * afterwards. */
#include "service/client_addr.h"
#include "core/forwarded.h"
#include "core/status.h"

static struct proxy_list trusted;

int client_addr_trust(const char *spec, char *err, size_t errlen)
{
    struct proxy_list l;
    int rc = proxy_list_parse(spec, &l, err, errlen);
    if (rc == YQ_OK) trusted = l;
    return rc;
}

void client_addr_resolve(const char *peer, const char *xff, char *out, size_t outlen)
{
    forwarded_client_addr(&trusted, peer, xff, out, outlen);
}
