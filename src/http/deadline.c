/* Request deadlines: a list of watched connections under one mutex, swept
 * by the server's main thread. The list holds a connection from
 * libmicrohttpd's "started" notice to its "closed" notice, which comes
 * before the socket is closed, so a socket shut down under the mutex is
 * never one that was closed and reused for another connection. */
#include "http/deadline.h"
#include "core/clock.h"
#include "core/mem.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

struct deadline_watch {
    struct deadline_watch *prev, *next;
    int fd;
    int64_t since_ns; /* the current request's clock started */
    int64_t extra_ns;
    bool busy;
    bool cut; /* already shut down */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct deadline_watch *head;

struct deadline_watch *deadline_watch_new(int fd)
{
    struct deadline_watch *w = yq_calloc(1, sizeof *w);
    w->fd = fd;
    w->since_ns = clock_mono_ns();
    pthread_mutex_lock(&lock);
    w->next = head;
    if (head) head->prev = w;
    head = w;
    pthread_mutex_unlock(&lock);
    return w;
}

void deadline_watch_free(struct deadline_watch *w)
{
    if (!w) return;
    pthread_mutex_lock(&lock);
    if (w->prev)
        w->prev->next = w->next;
    else
        head = w->next;
    if (w->next) w->next->prev = w->prev;
    pthread_mutex_unlock(&lock);
    free(w);
}

void deadline_busy(struct deadline_watch *w, bool busy)
{
    if (!w) return;
    int64_t now = clock_mono_ns();
    pthread_mutex_lock(&lock);
    w->busy = busy;
    if (!busy) {
        w->since_ns = now;
        w->extra_ns = 0;
    }
    pthread_mutex_unlock(&lock);
}

void deadline_extend(struct deadline_watch *w, int64_t extra_ns)
{
    if (!w) return;
    pthread_mutex_lock(&lock);
    w->extra_ns += extra_ns;
    pthread_mutex_unlock(&lock);
}

static void (*on_cut)(int n);

void deadline_on_cut(void (*count)(int n))
{
    pthread_mutex_lock(&lock);
    on_cut = count;
    pthread_mutex_unlock(&lock);
}

static bool overdue(const struct deadline_watch *w, int64_t now, int64_t limit_ns)
{
    return !w->busy && !w->cut && now - w->since_ns > limit_ns + w->extra_ns;
}

int deadline_sweep(int64_t limit_ns)
{
    if (limit_ns <= 0) return 0;
    int64_t now = clock_mono_ns();
    int n = 0;
    pthread_mutex_lock(&lock);
    for (struct deadline_watch *w = head; w; w = w->next)
        n += overdue(w, now, limit_ns);
    if (n > 0 && on_cut) on_cut(n);
    for (struct deadline_watch *w = head; w; w = w->next) {
        if (!overdue(w, now, limit_ns)) continue;
        shutdown(w->fd, SHUT_RDWR);
        w->cut = true;
    }
    pthread_mutex_unlock(&lock);
    return n;
}
