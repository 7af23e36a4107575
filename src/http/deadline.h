/* Request deadlines. libmicrohttpd's connection timeout counts idle time
 * only, so a client that sends one header line every few seconds could
 * hold a connection for ever. Every connection is watched from the moment
 * it is accepted: a request whose headers and body have not all arrived
 * within the limit is cut off (its socket is shut down), however slowly it
 * trickles. Answering is not limited (the idle timeout covers a client
 * that stops reading). */
#ifndef YQ_HTTP_DEADLINE_H
#define YQ_HTTP_DEADLINE_H

#include <stdbool.h>
#include <stdint.h>

struct deadline_watch;

/* Starts watching a connection's socket. Never NULL (aborts on OOM). */
struct deadline_watch *deadline_watch_new(int fd);
/* Stops watching; call before the socket is closed. Frees w. */
void deadline_watch_free(struct deadline_watch *w);
/* The request is in (answering is not limited), or, with busy false, the
 * answer went out and the next request's clock starts now. */
void deadline_busy(struct deadline_watch *w, bool busy);
/* Gives the current request extra_ns more (an authenticated upload). */
void deadline_extend(struct deadline_watch *w, int64_t extra_ns);
/* Shuts down the sockets of requests older than limit_ns; returns how
 * many. libmicrohttpd then sees the connection end and cleans it up. */
int deadline_sweep(int64_t limit_ns);
/* Called by each sweep with the number it is about to cut off, before any
 * socket is shut down: a client that sees its connection end then finds it
 * already counted (the /metrics counter). */
void deadline_on_cut(void (*count)(int n));

#endif
