/* The declarative route table and its matcher. A route is one row:
 * method, path pattern ("/api/v1/users/{id}/lock"), the roles that may call
 * it (core/roles.h bits, or ROLE_PUBLIC), the handler, and a summary. */
#ifndef YQ_HTTP_ROUTER_H
#define YQ_HTTP_ROUTER_H

#include <stddef.h>

struct request;
typedef void (*route_handler)(struct request *req);

struct route {
    const char *method;
    const char *pattern;
    unsigned roles;
    route_handler handler;
    const char *summary;
};

#define ROUTE_MAX_PARAMS 4
#define ROUTE_PARAM_MAX 128

struct route_match {
    const struct route *route;
    int index; /* position in the table */
    int nparams;
    struct {
        char name[32];
        char value[ROUTE_PARAM_MAX];
    } params[ROUTE_MAX_PARAMS];
};

enum router_result { ROUTER_FOUND = 0, ROUTER_NOT_FOUND = 1, ROUTER_BAD_METHOD = 2 };

/* Finds the route for method and path (no query string). When several
 * patterns match, the one with more literal segments wins. On
 * ROUTER_BAD_METHOD, `allow` lists the methods the path takes ("GET, POST").
 * The path comes percent-decoded; an empty parameter or one of
 * ROUTE_PARAM_MAX bytes or more does not match. */
enum router_result router_match(const struct route *table, size_t n, const char *method,
                                const char *path, struct route_match *m, char *allow,
                                size_t allow_len);

#endif
