/* The client's address as the throttles and the audit log should see it:
 * behind a reverse proxy every connection comes from the proxy, so the
 * X-Forwarded-For of the proxies the operator trusts (config
 * trusted_proxies) names the client. No proxy is trusted by default. */
#ifndef YQ_SERVICE_CLIENT_ADDR_H
#define YQ_SERVICE_CLIENT_ADDR_H

#include <stddef.h>

/* Sets the trusted proxies from their list ("127.0.0.1, 10.0.0.0/8");
 * call once before serving. YQ_OK, or YQ_EINVAL with err (nothing set). */
int client_addr_trust(const char *spec, char *err, size_t errlen);

/* The client address of a request from `peer` with X-Forwarded-For `xff`
 * (every header line, joined with commas in order; NULL when absent).
 * Writes `peer` itself unless it is a trusted proxy; out may be peer, and
 * resolving an address already resolved changes nothing. */
void client_addr_resolve(const char *peer, const char *xff, char *out, size_t outlen);

#endif
