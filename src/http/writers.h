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

/* A request's lane (`lane`, called on the write thread that took it):
 * true with its key (e.g. the county whose lock its transaction takes)
 * when requests of one key wait for one another in the database. At most
 * WRITERS_PER_LANE of a lane's requests (fewer than the threads) are on
 * write threads at once; the
 * others wait in the lane, in arrival order, without a thread, and the
 * thread that ends one of its requests runs the lane's next. So a county
 * whose lock is held (its rush, or a long writer) takes two threads, not
 * all: another county's request still finds one. */
#define WRITERS_PER_LANE 2
typedef bool (*writers_lane_fn)(struct request *req, char key[WRITERS_LANE_KEY]);

/* Starts n threads that call `run` for each submitted request, then
 * `done` (which resumes its connection); `lane` NULL: no lanes. YQ_OK or
 * YQ_EIO. */
int writers_start(int n, void (*run)(struct request *req), void (*done)(struct request *req),
                  writers_lane_fn lane);
/* Queues a request; a thread takes it in arrival order. */
void writers_submit(struct request *req);
/* Lets the queued and running requests finish, then ends the threads. */
void writers_stop(void);

#endif
