/* One HTTP request as handlers see it, and the reply they build. All
 * request memory comes from req->arena and is freed when the request ends,
 * so a handler cannot leak on an error path. */
#ifndef YQ_HTTP_REQUEST_H
#define YQ_HTTP_REQUEST_H

#include "core/buf.h"
#include "core/mem.h"
#include "core/problem.h"
#include "http/router.h"
#include "service/actor.h"
#include "store/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define WRITERS_LANE_KEY 32 /* a lane's key, with its NUL (http/writers.h) */

struct MHD_Connection;

struct header {
    struct header *next;
    const char *name, *value;
};

struct request {
    struct arena arena;
    /* NULL for a request made in the process (the command line's export,
     * api/export_cli.c): its query is then `query`, and it has no headers
     * or cookies. */
    struct MHD_Connection *conn;
    struct header *query; /* in order; read only when conn is NULL */
    const char *method;
    const char *path; /* without the query string */
    struct buf body;  /* capped at the server's body limit */
    bool body_too_large;
    bool in_flight; /* the handler has started */
    char request_id[72];
    char client_addr[64]; /* the client: the peer, or through X-Forwarded-For from a trusted proxy */
    int64_t started_ns; /* monotonic */
    int64_t db_ns_at_start;
    /* A writing request runs on a writer thread (http/writers.h). */
    bool handed_off;
    int64_t db_ns_elsewhere; /* database time spent on that thread */
    struct request *writer_next;
    /* Its lane's key, as the lane function read it ("" for none): the
     * thread that runs it may not be the one that read it (writers.h). */
    char write_lane[WRITERS_LANE_KEY];

    struct route_match match;
    struct db *db; /* this worker thread's connection; NULL if it failed */
    struct actor actor;
    bool authenticated;
    char session_token[72];

    /* The reply. */
    int status;
    const char *content_type;
    struct buf out;
    struct header *headers;
    int fd; /* >= 0: reply with this file instead of out */
    int64_t fd_size;
    bool replied;
    bool sent; /* queued with libmicrohttpd */

    /* A whole-list export (?format=xlsx|csv without page or page_size)
     * runs the handler once per chunk of HTTP_EXPORT_CHUNK rows, the
     * writer appending each chunk to the file (api/export.h), so memory
     * stays bounded whatever the length of the list. */
    bool export_whole;     /* this request is one */
    int64_t export_offset; /* first row of the chunk being read */
    bool export_paged;     /* the handler took its rows through http_paging */
    bool export_more;      /* the writer wants the next chunk */
    bool export_stream;    /* the list's rows stream to the writer: no chunks */
    void *export_writer;   /* the file being written (api/export.h) */
    int64_t export_rows;   /* data rows of the finished file */
};

/* Rows of one export chunk, and the most rows one export holds. */
#define HTTP_EXPORT_CHUNK 5000
#define HTTP_EXPORT_MAX 100000

/* Request data; borrowed, valid for the request's life. NULL when absent. */
const char *http_query(struct request *req, const char *key);
/* The name of the first query parameter that is not valid UTF-8 text
 * ("query" when the name itself is not), or NULL when all are. */
const char *http_query_bad_text(struct request *req);
const char *http_header(struct request *req, const char *name);
const char *http_cookie(struct request *req, const char *name);
const char *http_param(struct request *req, const char *name);

/* Page and page_size from the query (page ≥ 1, 1 ≤ page_size ≤ 200,
 * default 20; an export ≤ 10,000, and a whole-list export the current
 * chunk). YQ_OK, or the problem filled for a 422. */
int http_paging(struct request *req, int64_t *offset, int64_t *limit, struct problem *p);

/* Replies. The first reply wins; later calls are ignored. */
void http_reply_json(struct request *req, int status, json_t *body); /* steals body */
/* A JSON reply written by the caller straight into the reply's buffer
 * (core/json_out.h): _begin gives the emptied buffer, or NULL when a reply
 * was made already; _end makes it the reply, or a 500 when `rc` (the
 * writer's status) is not YQ_OK. */
struct buf *http_reply_json_begin(struct request *req);
void http_reply_json_end(struct request *req, int status, int rc);
/* The connection for reads that may lag behind the last commit (public
 * verification, reports): this thread's connection to the read replica
 * (`--read-db`), or req->db when there is none or it cannot be opened. */
struct db *http_read_db(struct request *req);
/* The connection for the public verification of a voucher: the replica's
 * when there is one; on SQLite otherwise this thread's connection whose
 * reads share a snapshot (store/db_sqlite_reuse.h: never behind a commit
 * of this server, at most `public_snapshot_ms` behind another process's);
 * req->db on PostgreSQL or when that setting is 0. */
struct db *http_public_db(struct request *req);
void http_reply_text(struct request *req, int status, const char *content_type, const char *text,
                     size_t len);
void http_reply_error(struct request *req, int status, const char *code, const char *field,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Renders a service problem with the HTTP status its status code maps to. */
void http_reply_problem(struct request *req, const struct problem *p);
int http_status_of(int yq_status);
void http_add_header(struct request *req, const char *name, const char *value);
/* Forgets the reply made so far (its headers too), so that another can be
 * made: for an answer whose transaction did not commit after all. */
void http_reply_discard(struct request *req);

#endif
