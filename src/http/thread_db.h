/* Each thread's database connections (a worker's or a write thread's),
 * opened on first use: the writing one, and the replica's and the public
 * snapshot's for the reads that may use them (request.h). */
#ifndef YQ_HTTP_THREAD_DB_H
#define YQ_HTTP_THREAD_DB_H

#include "http/request.h"
#include "http/server.h"

/* Once, before the first thread serves: the server's configuration. */
void thread_db_init(const struct server_config *cfg);
/* This thread's connection for a new request, opened on first use; no
 * storage fault of an earlier request is left on it. NULL when it cannot
 * be opened (said on stderr). */
struct db *thread_db(void);
/* After a failed write or fsync: closes req->db, this thread's
 * connection, so that the thread's next request opens a fresh one. */
void thread_db_drop_if_broken(struct request *req);

#endif
