/* Group commit: one writer thread, savepoints, one commit per group (see
 * group.h). */
#include "service/group.h"
#include "core/status.h"
#include "service/tx_internal.h"
#include "store/audit.h"
#include "store/stats.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A queued use case; it lives on the waiting caller's stack. The writer
 * posts `done` once the job's group is committed (or failed): each caller
 * wakes for its own job alone. (One condition variable broadcast to every
 * waiting caller woke those queued for the next group too, only to sleep
 * again, and made them all queue on the mutex: most of the futex calls of
 * a rush.) */
struct job {
    service_tx_fn run;
    void *ctx;
    struct problem *p;
    int rc;
    sem_t done;
    struct job *next;
};

static struct {
    pthread_mutex_t mu;
    pthread_cond_t work; /* the writer waits for jobs */
    struct job *head, *tail;
    bool on, stopping;
    pthread_t thread;
    struct db *db; /* the writer's connection; NULL after a failed write until reopened */
    char url[1024];
    char synchronous[16];
    struct db_options opt;
    struct group_stats stats;
} g = {.mu = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER};

static struct db *writer_db(void)
{
    if (!g.db) {
        char err[512];
        g.db = db_open(g.url, &g.opt, err, sizeof err);
        if (!g.db) fprintf(stderr, "yunquan: group commit: %s\n", err);
    }
    return g.db;
}

/* Every job of the group fails with what the storage said (nothing of
 * the group was made durable). */
static void fail_all(struct db *db, struct job *batch, int rc)
{
    for (struct job *j = batch; j; j = j->next) {
        problem_clear(j->p);
        j->rc = service_tx_failed(db, rc, j->p);
    }
}

/* Fault injection for the group-commit tests (YUNQUAN_FAULT=
 * group_fail_every:N): every N-th contract confirmation (a use case whose
 * last audit entry is a confirmation), after its own writes, runs a
 * statement that breaks a CHECK constraint, as a use case that fails late
 * would; it must roll back alone. Writer thread only. */
static int64_t fail_every, seen, audit_before;

/* The audit chain's last entry before a job runs (fault injection only). */
static void note_audit_head(struct db *db)
{
    audit_before = 0;
    if (fail_every > 0) audit_last_seq(db, &audit_before);
}

static bool injected_failure(struct db *db, struct job *j)
{
    if (fail_every <= 0) return false;
    int64_t confirm = 0;
    if (audit_count_since(db, audit_before, "contract", "confirm", &confirm) != YQ_OK ||
        !confirm || ++seen % fail_every != 0)
        return false;
    int rc = stats_break_check(db);
    problem_clear(j->p);
    j->rc = problem_set(j->p, rc == YQ_ECONFLICT ? YQ_ECONFLICT : YQ_ERR, "injected_fault", NULL,
                        "测试注入的约束冲突（YUNQUAN_FAULT）");
    return true;
}

static void run_group(struct job *batch)
{
    struct db *db = writer_db();
    if (!db) {
        for (struct job *j = batch; j; j = j->next) {
            problem_clear(j->p);
            j->rc = problem_db_error(j->p);
        }
        return;
    }
    db_fault_clear(db);
    int rc = db_begin(db, true);
    if (rc != YQ_OK) {
        fail_all(db, batch, rc);
        return;
    }
    for (struct job *j = batch; j; j = j->next) {
        problem_clear(j->p);
        rc = db_begin(db, true); /* the job's savepoint */
        note_audit_head(db);
        bool released = false;
        if (rc != YQ_OK) {
            j->rc = service_tx_failed(db, rc, j->p);
        } else if ((rc = j->run(db, j->ctx, j->p)) != YQ_OK) {
            j->rc = service_tx_undone(db, rc, j->p); /* this job alone */
        } else if (injected_failure(db, j)) {
            db_rollback(db);
        } else {
            rc = db_commit(db); /* releases the savepoint */
            j->rc = rc == YQ_OK ? YQ_OK : service_tx_failed(db, rc, j->p);
            released = rc == YQ_OK;
        }
        audit_group_job(released); /* a rolled-back job's audit head is not kept */
        if (db_fault(db) != YQ_OK) { /* the storage failed: the group cannot commit */
            db_rollback(db);
            fail_all(db, batch, YQ_ERR);
            return;
        }
    }
    rc = db_commit(db); /* one commit, one fsync, for the group */
    if (rc != YQ_OK) {
        for (struct job *j = batch; j; j = j->next) {
            if (j->rc != YQ_OK) continue; /* its own answer stands */
            problem_clear(j->p);
            j->rc = service_tx_failed(db, rc, j->p);
        }
    }
}

static void *writer(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "yq-writer"); /* for top -H and perf */
    pthread_mutex_lock(&g.mu);
    for (;;) {
        while (!g.head && !g.stopping)
            pthread_cond_wait(&g.work, &g.mu);
        if (!g.head) break; /* stopping, and nothing left */
        /* Up to GROUP_MAX of the queue, in arrival order. */
        struct job *batch = g.head, *last = g.head;
        int64_t n = 1;
        while (last->next && n < GROUP_MAX) {
            last = last->next;
            n++;
        }
        g.head = last->next;
        if (!g.head) g.tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&g.mu);

        audit_group_begin(); /* the audit head kept from job to job, this group only */
        run_group(batch);
        audit_group_end();
        /* After a failed write the connection's pages are not to be
         * trusted: the next group opens a fresh one. */
        if (g.db && db_fault(g.db) == YQ_EIO) {
            db_close(g.db);
            g.db = NULL;
        }

        for (struct job *j = batch, *next; j; j = next) {
            next = j->next; /* the caller may return as soon as done is posted */
            sem_post(&j->done);
        }
        pthread_mutex_lock(&g.mu);
        g.stats.groups++;
        g.stats.jobs += n;
        if (n > g.stats.largest) g.stats.largest = n;
    }
    pthread_mutex_unlock(&g.mu);
    return NULL;
}

int service_group_start(const char *url, const struct db_options *opt, char *err, size_t errlen)
{
    if (strlen(url) >= sizeof g.url || strlen(opt->synchronous) >= sizeof g.synchronous) {
        snprintf(err, errlen, "数据库地址过长");
        return YQ_EINVAL;
    }
    snprintf(g.url, sizeof g.url, "%s", url);
    snprintf(g.synchronous, sizeof g.synchronous, "%s", opt->synchronous);
    g.opt = *opt;
    g.opt.synchronous = g.synchronous;
    const char *fault = getenv("YUNQUAN_FAULT");
    if (fault && strncmp(fault, "group_fail_every:", 17) == 0) fail_every = atoll(fault + 17);
    g.db = db_open(g.url, &g.opt, err, errlen);
    if (!g.db) return YQ_ERR;
    g.stopping = false;
    if (pthread_create(&g.thread, NULL, writer, NULL) != 0) {
        db_close(g.db);
        g.db = NULL;
        snprintf(err, errlen, "无法启动写入线程");
        return YQ_ERR;
    }
    pthread_mutex_lock(&g.mu);
    g.on = true;
    pthread_mutex_unlock(&g.mu);
    return YQ_OK;
}

void service_group_stop(void)
{
    pthread_mutex_lock(&g.mu);
    if (!g.on) {
        pthread_mutex_unlock(&g.mu);
        return;
    }
    g.stopping = true;
    pthread_cond_signal(&g.work);
    pthread_mutex_unlock(&g.mu);
    pthread_join(g.thread, NULL);
    pthread_mutex_lock(&g.mu);
    g.on = false;
    pthread_mutex_unlock(&g.mu);
    if (g.db) db_close(g.db);
    g.db = NULL;
}

bool service_group_on(void)
{
    pthread_mutex_lock(&g.mu);
    bool on = g.on && !g.stopping;
    pthread_mutex_unlock(&g.mu);
    return on;
}

int service_group_run(struct db *db, service_tx_fn run, void *ctx, struct problem *p)
{
    struct job j = {.run = run, .ctx = ctx, .p = p, .rc = YQ_OK};
    pthread_mutex_lock(&g.mu);
    if (!g.on || g.stopping) { /* shutting down: on the caller's own connection */
        pthread_mutex_unlock(&g.mu);
        return service_tx_direct(db, run, ctx, p);
    }
    sem_init(&j.done, 0, 0);
    if (g.tail)
        g.tail->next = &j;
    else
        g.head = &j;
    g.tail = &j;
    pthread_cond_signal(&g.work);
    pthread_mutex_unlock(&g.mu);
    while (sem_wait(&j.done) != 0 && errno == EINTR) {
    }
    sem_destroy(&j.done);
    return j.rc;
}

void service_group_stats(struct group_stats *out)
{
    pthread_mutex_lock(&g.mu);
    *out = g.stats;
    pthread_mutex_unlock(&g.mu);
}
