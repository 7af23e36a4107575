/* Writing requests on threads of their own (see writers.h). */
#include "http/writers.h"
#include "core/mem.h"
#include "core/status.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static struct {
    pthread_mutex_t mu;
    pthread_cond_t work;
    struct request *head, *tail;
    bool stopping;
    int n;
    pthread_t *threads;
    void (*run)(struct request *req);
    void (*done)(struct request *req);
} w = {.mu = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER};

static void *writer_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "yq-write"); /* for top -H and perf */
    for (;;) {
        pthread_mutex_lock(&w.mu);
        while (!w.head && !w.stopping) pthread_cond_wait(&w.work, &w.mu);
        struct request *req = w.head;
        if (!req) { /* stopping, and nothing left */
            pthread_mutex_unlock(&w.mu);
            return NULL;
        }
        w.head = req->writer_next;
        if (!w.head) w.tail = NULL;
        pthread_mutex_unlock(&w.mu);
        req->writer_next = NULL;
        w.run(req);
        w.done(req); /* the request may be gone once this returns */
    }
}

int writers_start(int n, void (*run)(struct request *req), void (*done)(struct request *req))
{
    w.run = run;
    w.done = done;
    w.stopping = false;
    w.threads = yq_calloc((size_t)n, sizeof *w.threads);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    /* Deep enough for a handler and SQLite or libpq (the main thread's
     * 8 MiB default reserves address space only, but 256 threads of it
     * add up in what tools report). */
    pthread_attr_setstacksize(&attr, 2u << 20);
    for (w.n = 0; w.n < n; w.n++) {
        if (pthread_create(&w.threads[w.n], &attr, writer_main, NULL) != 0) {
            pthread_attr_destroy(&attr);
            fprintf(stderr, "yunquan: 无法启动写请求线程\n");
            writers_stop();
            return YQ_EIO;
        }
    }
    pthread_attr_destroy(&attr);
    return YQ_OK;
}

void writers_submit(struct request *req)
{
    req->writer_next = NULL;
    pthread_mutex_lock(&w.mu);
    if (w.tail)
        w.tail->writer_next = req;
    else
        w.head = req;
    w.tail = req;
    pthread_cond_signal(&w.work);
    pthread_mutex_unlock(&w.mu);
}

void writers_stop(void)
{
    pthread_mutex_lock(&w.mu);
    w.stopping = true;
    pthread_cond_broadcast(&w.work);
    pthread_mutex_unlock(&w.mu);
    for (int i = 0; i < w.n; i++) pthread_join(w.threads[i], NULL);
    free(w.threads);
    w.threads = NULL;
    w.n = 0;
}
