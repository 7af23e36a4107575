/* Each thread's database connections (see thread_db.h). */
#include "http/thread_db.h"
#include "core/clock.h"
#include "core/status.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* NULL when no server runs (the command line's export). */
static const struct server_config *config;
static pthread_key_t db_key, read_db_key, public_db_key;
/* A replica (--read-db) that could not be opened is not tried again
 * before this instant (clock_mono_ns). */
#define REPLICA_REST_NS (30 * 1000000000LL)
static _Atomic int64_t replica_rest_until;

static void close_thread_db(void *p)
{
    db_close(p);
}

/* This thread's connection for a new request, opened on first use;
 * no storage fault of an earlier request is left on it. */
struct db *thread_db(void)
{
    struct db *db = pthread_getspecific(db_key);
    if (db) {
        db_fault_clear(db);
        return db;
    }
    char err[512];
    db = db_open(config->db_url, &config->db_opt, err, sizeof err);
    if (!db) {
        fprintf(stderr, "yunquan: %s\n", err);
        return NULL;
    }
    pthread_setspecific(db_key, db);
    return db;
}

struct db *http_read_db(struct request *req)
{
    /* No server running (the command line's export): its one connection. */
    if (!config || !config->read_db_url) return req->db;
    struct db *db = pthread_getspecific(read_db_key);
    if (db) {
        if (db_fault(db) == YQ_OK) return db;
        pthread_setspecific(read_db_key, NULL); /* a broken replica connection: reopen */
        db_close(db);
    }
    /* After a failed attempt the replica rests a while: every request
     * would otherwise wait out its own connection attempt. */
    int64_t now = clock_mono_ns();
    if (now < atomic_load(&replica_rest_until)) return req->db;
    char err[512];
    struct db_options opt = config->db_opt;
    opt.read_only = true;
    db = db_open(config->read_db_url, &opt, err, sizeof err);
    if (!db) {
        /* The primary has every commit: serving from it is never wrong. */
        atomic_store(&replica_rest_until, clock_mono_ns() + REPLICA_REST_NS);
        fprintf(stderr, "yunquan: 只读副本不可用，改读主库（%d 秒后再试）：%s\n",
                (int)(REPLICA_REST_NS / 1000000000), err);
        return req->db;
    }
    pthread_setspecific(read_db_key, db);
    return db;
}

struct db *http_public_db(struct request *req)
{
    if (!config || config->read_db_url || config->public_snapshot_ms <= 0 || !req->db ||
        strcmp(db_driver(req->db), "sqlite") != 0)
        return http_read_db(req);
    struct db *db = pthread_getspecific(public_db_key);
    if (db) {
        if (db_fault(db) == YQ_OK) return db;
        pthread_setspecific(public_db_key, NULL);
        db_close(db);
    }
    char err[512];
    struct db_options opt = config->db_opt;
    opt.snapshot_reuse_ms = config->public_snapshot_ms;
    db = db_open(config->db_url, &opt, err, sizeof err);
    if (!db) {
        fprintf(stderr, "yunquan: %s\n", err);
        return req->db;
    }
    pthread_setspecific(public_db_key, db);
    return db;
}

/* After a failed write or fsync the connection's view of the files is not
 * to be trusted (SQLite may hold pages it could not make durable): close
 * it, and the thread's next request opens a fresh one. Requests of other
 * connections served by this thread may have fetched the handle for their
 * headers: on_request fetches it again before dispatching. */
void thread_db_drop_if_broken(struct request *req)
{
    if (!req->db || db_fault(req->db) != YQ_EIO || db_in_transaction(req->db)) return;
    pthread_setspecific(db_key, NULL);
    db_close(req->db);
    req->db = NULL;
}

void thread_db_init(const struct server_config *cfg)
{
    config = cfg;
    pthread_key_create(&db_key, close_thread_db);
    pthread_key_create(&read_db_key, close_thread_db);
    pthread_key_create(&public_db_key, close_thread_db);
}
