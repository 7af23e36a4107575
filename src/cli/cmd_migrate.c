/* `yunquan migrate --from SQLITE_PATH --to URL`: moves a whole installation
 * (issue 13), e.g. from the embedded SQLite file to PostgreSQL when a city
 * outgrows one machine. The target must have no tables; every table is
 * copied in one transaction with a progress bar, row counts compared per
 * table, then `ledger check` and `audit verify` run on the target. */
#include "cli/cli.h"
#include "core/status.h"
#include "store/audit.h"
#include "store/copy.h"
#include "store/ledger.h"
#include "store/migrate.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const migrate_options[] = {"from=", "to=", NULL};
static const struct cli_spec migrate_spec = {
    "用法：yunquan migrate --from 源.db --to 目标\n"
    "把整个平台的数据从 SQLite 文件迁到另一个数据库（如 postgresql://用户@主机/库名）：\n"
    "目标须是空的（没有任何数据表）；在一个事务中按外键先后复制每张表并逐表核对行数，\n"
    "提交后在目标上做账簿校验与审计链校验。迁移期间请停止服务（源库只读）。\n"
    "  --from PATH   源 SQLite 数据库文件\n"
    "  --to URL      目标数据库（postgresql:// URL 或新的 SQLite 文件路径）\n",
    migrate_options};

static struct db *open_plain(const char *url, bool read_only)
{
    char err[512];
    struct db_options opt = {.synchronous = "FULL", .read_only = read_only};
    struct db *db = db_open(url, &opt, err, sizeof err);
    if (!db) fprintf(stderr, "yunquan: %s\n", err);
    return db;
}

/* A SQLite file this run created and then left empty, with its journals. */
static void remove_sqlite_files(const char *path)
{
    char p[4096];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* ledger check and audit verify on the target; 0 when both pass. */
static int verify(struct db *dst)
{
    json_t *breaches = json_array();
    int rc = db_begin_snapshot(dst);
    if (rc == YQ_OK) rc = ledger_check(dst, breaches);
    db_rollback(dst);
    if (rc == YQ_OK) {
        printf("目标账簿校验通过\n");
    } else {
        size_t i;
        json_t *b;
        json_array_foreach(breaches, i, b) printf("违反：%s\n", json_string_value(b));
        fprintf(stderr, "yunquan: 目标账簿校验未通过\n");
    }
    json_decref(breaches);
    struct audit_report rep = {0};
    int arc = audit_verify(dst, &rep);
    if (arc == YQ_OK)
        printf("目标审计链完整（%lld 条）\n", (long long)rep.checked);
    else
        fprintf(stderr, "yunquan: 目标审计链校验未通过：第 %lld 条，%s\n", (long long)rep.bad_seq,
                rep.reason);
    return rc == YQ_OK && arc == YQ_OK ? 0 : 3;
}

int cmd_migrate(int argc, char **argv)
{
    struct cli_args a;
    int rc = cli_parse(argc, argv, &migrate_spec, &a);
    if (rc) return rc;
    if (a.help) {
        fputs(migrate_spec.usage, stdout);
        return 0;
    }
    const char *from = cli_opt(&a, "from"), *to = cli_opt(&a, "to");
    if (a.npos != 0) {
        fprintf(stderr, "yunquan: 多余的参数：%s（源与目标用 --from 与 --to 给出）\n\n%s", a.pos[0],
                migrate_spec.usage);
        return 2;
    }
    if (!from || !from[0] || !to || !to[0]) {
        fprintf(stderr, "yunquan: 请给出 --from 与 --to\n\n%s", migrate_spec.usage);
        return 2;
    }
    /* Any other address (mysql://…) would be taken for a file name. */
    if (strstr(to, "://") && strncmp(to, "postgresql://", 13) != 0 &&
        strncmp(to, "postgres://", 11) != 0) {
        fprintf(stderr, "yunquan: --to 须为 postgresql:// 地址或 SQLite 文件路径（得到 %s）\n", to);
        return 2;
    }
    if (strncmp(from, "postgres", 8) == 0) {
        fprintf(stderr, "yunquan: --from 须为 SQLite 数据库文件\n");
        return 2;
    }
    if (strcmp(from, to) == 0) {
        fprintf(stderr, "yunquan: --from 与 --to 不能是同一个数据库\n");
        return 2;
    }
    FILE *f = fopen(from, "rb");
    if (!f) {
        fprintf(stderr, "yunquan: 源数据库 %s 不存在或无法读取\n", from);
        return 1;
    }
    fclose(f);
    /* The source is only read (not even its journal mode is set), and a
     * source that cannot be copied is refused before the target is made. */
    struct db *src = open_plain(from, true);
    if (!src) return 1;
    if (migrate_version(src) != migrate_latest()) {
        fprintf(stderr, "yunquan: 迁移未开始，目标数据库未改动：%s\n",
                migrate_version(src) > 0
                    ? "源数据库的结构不是最新版本：请先用本版本打开一次（yunquan init --db 源）"
                    : "源文件不是云券数据库");
        db_close(src);
        return 2;
    }
    struct stat st;
    bool new_file = strncmp(to, "postgres", 8) != 0 && stat(to, &st) != 0;
    struct db *dst = open_plain(to, false);
    if (!dst) {
        db_close(src);
        return 1;
    }
    struct cli_progress pr = cli_progress_start();
    struct copy_report rep;
    rc = db_copy_all(src, dst, cli_progress_show, &pr, &rep);
    if (pr.tty && pr.stage[0]) fputc('\n', stderr);
    int exit_code;
    if (rc == YQ_OK) {
        printf("已迁移 %d 张表、%lld 行到 %s（用时 %lld 秒）\n", rep.tables, (long long)rep.rows,
               strncmp(to, "postgres", 8) == 0 ? "PostgreSQL" : to,
               (long long)(time(NULL) - pr.started));
        exit_code = verify(dst);
    } else {
        fprintf(stderr, "yunquan: 迁移未完成，目标数据库未改动：%s\n", rep.problem);
        exit_code = rc == YQ_ECONFLICT || rc == YQ_EINVAL ? 2 : 1;
    }
    db_close(src);
    db_close(dst);
    if (rc != YQ_OK && new_file) remove_sqlite_files(to); /* made by this run, left empty */
    return exit_code;
}
