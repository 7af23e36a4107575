/* Read snapshots shared across requests (see db_sqlite_reuse.h). */
#include "store/db_sqlite_reuse.h"

#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

static atomic_uint_fast64_t commits;

int reuse_wal_hook(void *ctx, sqlite3 *conn, const char *db_name, int frames)
{
    (void)ctx;
    atomic_fetch_add(&commits, 1);
    /* SQLite's own hook, which this one replaces: a passive checkpoint
     * once the log holds 1,000 pages (its default). */
    if (frames >= 1000) sqlite3_wal_checkpoint_v2(conn, db_name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool stale(const struct snapshot_reuse *r)
{
    return r->broken || atomic_load(&commits) != r->commits ||
           mono_ms() - r->began_ms >= r->limit_ms;
}

static void end(struct snapshot_reuse *r)
{
    if (r->open) sqlite3_exec(r->conn, "ROLLBACK", NULL, NULL, NULL);
    r->open = r->broken = false;
}

/* The connections the sweeper looks at. */
#define SWEEP_MAX 256
static pthread_mutex_t registry = PTHREAD_MUTEX_INITIALIZER;
static struct snapshot_reuse *swept[SWEEP_MAX];
static bool sweeper_started;
static int sweep_every_ms = 1000;

static void *sweeper(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&registry);
        int ms = sweep_every_ms;
        for (int i = 0; i < SWEEP_MAX; i++) {
            struct snapshot_reuse *r = swept[i];
            if (!r || pthread_mutex_trylock(&r->use) != 0) continue; /* in use: it checks itself */
            if (r->open && stale(r)) end(r);
            pthread_mutex_unlock(&r->use);
        }
        pthread_mutex_unlock(&registry);
        struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

void reuse_init(struct snapshot_reuse *r, sqlite3 *conn, int limit_ms)
{
    *r = (struct snapshot_reuse){.conn = conn, .limit_ms = limit_ms};
    pthread_mutex_init(&r->use, NULL);
    pthread_mutex_lock(&registry);
    for (int i = 0; i < SWEEP_MAX; i++)
        if (!swept[i]) {
            swept[i] = r;
            break;
        }
    if (limit_ms < sweep_every_ms) sweep_every_ms = limit_ms > 1 ? limit_ms : 1;
    if (!sweeper_started) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        sweeper_started = pthread_create(&t, &attr, sweeper, NULL) == 0;
        pthread_attr_destroy(&attr);
    }
    pthread_mutex_unlock(&registry);
}

void reuse_cleanup(struct snapshot_reuse *r)
{
    pthread_mutex_lock(&registry);
    for (int i = 0; i < SWEEP_MAX; i++)
        if (swept[i] == r) swept[i] = NULL;
    pthread_mutex_unlock(&registry);
    end(r);
    pthread_mutex_destroy(&r->use);
}

int reuse_statement_begin(struct snapshot_reuse *r)
{
    if (r->reading++ > 0) return SQLITE_OK;
    pthread_mutex_lock(&r->use);
    if (r->open && !stale(r)) return SQLITE_OK;
    end(r);
    /* The count is read before the snapshot begins (at the first read
     * after BEGIN): a commit in between makes it look stale, never fresh. */
    uint64_t seen = atomic_load(&commits);
    int rc = sqlite3_exec(r->conn, "BEGIN", NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        r->open = true;
        r->commits = seen;
        r->began_ms = mono_ms();
    }
    return rc;
}

void reuse_statement_end(struct snapshot_reuse *r, bool failed)
{
    if (failed) r->broken = true;
    if (r->reading > 0 && --r->reading == 0) {
        if (r->broken) end(r);
        pthread_mutex_unlock(&r->use);
    }
}

void reuse_explicit_begin(struct snapshot_reuse *r)
{
    pthread_mutex_lock(&r->use);
    end(r);
}

void reuse_explicit_end(struct snapshot_reuse *r)
{
    pthread_mutex_unlock(&r->use);
}
