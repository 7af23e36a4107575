/* The HTTP server on libmicrohttpd: a pool of worker threads, each with
 * its own database connection; capped request bodies, refused before they
 * are read when the route's session check fails; a cap on connections per
 * client address and a deadline per request; request ids; security
 * headers; a JSON access log; metrics; static files of the web UI;
 * graceful shutdown on SIGTERM/SIGINT. */
#ifndef YQ_HTTP_SERVER_H
#define YQ_HTTP_SERVER_H

#include "http/request.h"
#include "http/writers.h"
#include "store/db.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct server_config {
    const char *host; /* numeric IPv4 address, e.g. "127.0.0.1" */
    int port;         /* 0 picks a free port (printed) */
    int threads;
    /* Threads that run writing requests (every method but GET and HEAD),
     * each with its own connection, so that a request waiting for its
     * commit or its county's lock holds no worker (http/writers.h);
     * 0 runs them on the workers. */
    int write_threads;
    const char *db_url;
    /* A read replica for the reads that may lag (public verification,
     * reports); NULL: every read goes to db_url. */
    const char *read_db_url;
    struct db_options db_opt;
    size_t body_max;      /* bytes; larger bodies get 413 */
    /* A larger cap for some routes (uploads); NULL or 0 = body_max. */
    size_t (*body_limit)(const char *method, const char *path);
    const char *web_root; /* folder of the built UI; NULL serves none */
    unsigned per_ip_connections; /* open connections per client address; 0: no cap */
    int public_snapshot_ms;      /* http_public_db's snapshot limit; 0: no shared snapshot */
    int request_timeout;         /* seconds for a request's headers and body; 0: none */
    long hsts_max_age;           /* Strict-Transport-Security max-age in seconds (0: none) */
    FILE *access_log;     /* NULL: no access log */
    /* Answers a request. Returns false when no route matched the path, so
     * that the server may serve a static file instead. */
    bool (*dispatch)(struct request *req);
    /* Called once a request's headers are in, before any byte of its body
     * is read, with req->db set. Returns false after replying to refuse the
     * request (a route that needs a session and has none: 401); the body is
     * then never read. NULL admits every request. */
    bool (*admit)(struct request *req);
    /* The lane of an admitted writing request (http/writers.h), called on
     * the write thread with req->db set; NULL: no lanes. */
    writers_lane_fn lane;
    /* Called once the server listens, with the port (for the banner). */
    void (*on_listen)(int port, void *ctx);
    void *ctx;
};

/* Serves until SIGTERM or SIGINT, then lets in-flight requests finish and
 * closes the database connections. Returns 0, or 1 when it cannot start. */
int server_run(const struct server_config *cfg);

/* Serves a file of the web root for GET/HEAD requests, with the SPA
 * fallback to index.html. Never follows a symbolic link (nor leaves the
 * web root). Returns false when nothing could be served. */
bool static_serve(struct request *req, const char *web_root);

#endif
