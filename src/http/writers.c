/* Writing requests on threads of their own (see writers.h). */
#include "http/writers.h"
#include "core/mem.h"
#include "core/status.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The lanes with requests on threads; a lane's entry is free again once
 * it has none. More lanes at once than this: the rest run without one. */
#define LANES 64

struct lane {
    char key[WRITERS_LANE_KEY];
    int running;                 /* its requests on threads, 0: entry free */
    struct request *head, *tail; /* its requests waiting for one of those */
};

static struct {
    pthread_mutex_t mu;
    struct lane lanes[LANES];
    writers_lane_fn lane;
    int per_lane; /* a lane's requests on threads at most */
    pthread_cond_t work;
    struct request *head, *tail;
    bool stopping;
    int n;
    pthread_t *threads;
    void (*run)(struct request *req);
    void (*done)(struct request *req);
} w = {.mu = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER};

/* Under w.mu: the lane of `key` (a free entry if it has none); NULL when
 * every entry is taken. */
static struct lane *lane_of(const char *key)
{
    struct lane *free_one = NULL;
    for (int i = 0; i < LANES; i++) {
        struct lane *l = &w.lanes[i];
        if (l->running && strcmp(l->key, key) == 0) return l;
        if (!l->running && !free_one) free_one = l;
    }
    if (free_one) snprintf(free_one->key, sizeof free_one->key, "%s", key);
    return free_one;
}

/* Runs req, then the requests that wait in its lane, if it has one;
 * returns without running it when the lane already has its share of
 * threads (req then waits in it). */
static void run_in_lane(struct request *req)
{
    char key[WRITERS_LANE_KEY] = "";
    struct lane *l = NULL;
    if (w.lane && w.lane(req, key) && key[0]) {
        memcpy(req->write_lane, key, sizeof req->write_lane);
        pthread_mutex_lock(&w.mu);
        l = lane_of(key);
        if (l && l->running >= w.per_lane) {
            if (l->tail)
                l->tail->writer_next = req;
            else
                l->head = req;
            l->tail = req;
            pthread_mutex_unlock(&w.mu);
            return;
        }
        if (l) l->running++;
        pthread_mutex_unlock(&w.mu);
    }
    while (req) {
        w.run(req);
        w.done(req); /* the request may be gone once this returns */
        if (!l) return;
        pthread_mutex_lock(&w.mu);
        req = l->head;
        if (req) {
            l->head = req->writer_next;
            if (!l->head) l->tail = NULL;
            req->writer_next = NULL;
        } else {
            l->running--;
        }
        pthread_mutex_unlock(&w.mu);
    }
}

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
        run_in_lane(req);
    }
}

int writers_start(int n, void (*run)(struct request *req), void (*done)(struct request *req),
                  writers_lane_fn lane)
{
    w.run = run;
    w.done = done;
    w.lane = lane;
    /* One thread at least stays for the other lanes (and takes each
     * request from the queue to its lane). */
    w.per_lane = n > WRITERS_PER_LANE ? WRITERS_PER_LANE : n > 1 ? n - 1 : 1;
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
