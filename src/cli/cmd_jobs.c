/* `yunquan ledger check`, `yunquan jobs run`, and the server's periodic
 * jobs thread. */
#include "cli/cli.h"
#include "core/status.h"
#include "service/actor.h"
#include "service/vouchers.h"
#include "store/idempotency.h"
#include "store/ledger.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const struct cli_spec ledger_spec = {
    "用法：yunquan ledger check [--db PATH]\n"
    "校验账簿：资金池不为负、每张券已兑现加仍预留不超过面额、每笔转账借贷平衡、\n"
    "账户余额与转账记录一致、账簿与券表一致。全部通过退出码为 0，否则逐条列出并退出码为 3。\n"
    "  --db PATH   数据库文件，默认 var/yunquan.db\n",
    NULL};

int cmd_ledger(int argc, char **argv)
{
    struct cli_args a;
    int rc = cli_parse(argc, argv, &ledger_spec, &a);
    if (rc) return rc;
    if (a.help) {
        fputs(ledger_spec.usage, stdout);
        return 0;
    }
    if (a.npos != 1 || strcmp(a.pos[0], "check") != 0) {
        fputs(ledger_spec.usage, stderr);
        return 2;
    }
    struct db *db = cli_open_existing_db(&a);
    if (!db) return 1;
    json_t *breaches = json_array();
    /* One consistent snapshot (PostgreSQL: REPEATABLE READ), so that a
     * transfer committed mid-check cannot look like a breach. */
    rc = db_begin_snapshot(db);
    if (rc == YQ_OK) rc = ledger_check(db, breaches);
    db_rollback(db);
    db_close(db);
    if (rc == YQ_OK) {
        printf("账簿校验通过\n");
    } else if (rc == YQ_ECONFLICT) {
        size_t i;
        json_t *b;
        json_array_foreach(breaches, i, b) printf("违反：%s\n", json_string_value(b));
        printf("账簿校验未通过：%zu 处问题\n", json_array_size(breaches));
    } else {
        fprintf(stderr, "yunquan: 无法读取账簿\n");
    }
    json_decref(breaches);
    return rc == YQ_OK ? 0 : rc == YQ_ECONFLICT ? 3 : 1;
}

static const char *const jobs_options[] = {"grace-days=", NULL};
static const struct cli_spec jobs_spec = {
    "用法：yunquan jobs run [--db PATH] [--grace-days N]\n"
    "立即执行定时任务：服务期满且宽限期（默认 90 天）内未申请兑现的券作废，释放预算并补发候补。\n",
    jobs_options};

int cmd_jobs(int argc, char **argv)
{
    struct cli_args a;
    int rc = cli_parse(argc, argv, &jobs_spec, &a);
    if (rc) return rc;
    if (a.help) {
        fputs(jobs_spec.usage, stdout);
        return 0;
    }
    if (a.npos != 1 || strcmp(a.pos[0], "run") != 0) {
        fputs(jobs_spec.usage, stderr);
        return 2;
    }
    if ((rc = cli_setup_clock(&a.cfg))) return rc;
    struct db *db = cli_open_existing_db(&a);
    if (!db) return 1;
    struct actor actor;
    actor_cli(&actor);
    int n = vouchers_expire_due(db, &actor, a.cfg.grace_days);
    db_close(db);
    if (n < 0) {
        fprintf(stderr, "yunquan: 定时任务失败\n");
        return 1;
    }
    printf("已处理到期券 %d 张\n", n);
    return 0;
}

static struct {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool running, stop;
    char db_url[512], synchronous[16];
    int grace_days;
} jobs = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static void *jobs_main(void *arg)
{
    (void)arg;
    char err[512];
    struct db_options opt = {.synchronous = jobs.synchronous};
    struct db *db = db_open(jobs.db_url, &opt, err, sizeof err);
    if (!db) {
        fprintf(stderr, "yunquan: 定时任务无法打开数据库：%s\n", err);
        return NULL;
    }
    struct actor actor;
    actor_cli(&actor);
    snprintf(actor.user.username, sizeof actor.user.username, "system:jobs");
    pthread_mutex_lock(&jobs.lock);
    while (!jobs.stop) {
        pthread_mutex_unlock(&jobs.lock);
        int n = vouchers_expire_due(db, &actor, jobs.grace_days);
        idempotency_expire(db);
        if (n > 0) fprintf(stderr, "yunquan: 定时任务：%d 张券到期作废\n", n);
        pthread_mutex_lock(&jobs.lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 3600; /* hourly */
        while (!jobs.stop && pthread_cond_timedwait(&jobs.wake, &jobs.lock, &until) == 0) {
        }
    }
    pthread_mutex_unlock(&jobs.lock);
    db_close(db);
    return NULL;
}

void jobs_start(const char *db_url, const char *synchronous, int grace_days)
{
    snprintf(jobs.db_url, sizeof jobs.db_url, "%s", db_url);
    snprintf(jobs.synchronous, sizeof jobs.synchronous, "%s", synchronous);
    jobs.grace_days = grace_days;
    jobs.stop = false;
    /* The server waits for SIGTERM/SIGINT with sigwait: block them here,
     * before the thread exists, so that it inherits the mask and never
     * takes a signal meant for the shutdown. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    jobs.running = pthread_create(&jobs.thread, NULL, jobs_main, NULL) == 0;
}

void jobs_stop(void)
{
    if (!jobs.running) return;
    pthread_mutex_lock(&jobs.lock);
    jobs.stop = true;
    pthread_cond_signal(&jobs.wake);
    pthread_mutex_unlock(&jobs.lock);
    pthread_join(jobs.thread, NULL);
    jobs.running = false;
}
