/* The threads that run writing requests (every method but GET and HEAD).
 *
 * A libmicrohttpd worker thread serves its connections one request at a
 * time. A writing request may wait: for its group commit on SQLite, for
 * its county's lock on PostgreSQL (up to the busy timeout), for the
 * Argon2id gate. Run on the worker, that wait held up the next request of
 * every other keep-alive connection of the thread, whatever it was for.
 * So the worker suspends the connection and hands the request to these
 * threads, in arrival order; the one that ran it resumes the connection,
 * and the worker sends the answer. Each has its own database connection. */
#ifndef YQ_HTTP_WRITERS_H
#define YQ_HTTP_WRITERS_H

#include "http/request.h"

/* Starts n threads that call `run` for each submitted request, then
 * `done` (which resumes its connection). YQ_OK or YQ_EIO. */
int writers_start(int n, void (*run)(struct request *req), void (*done)(struct request *req));
/* Queues a request; a thread takes it in arrival order. */
void writers_submit(struct request *req);
/* Lets the queued and running requests finish, then ends the threads. */
void writers_stop(void);

#endif
