/* Subcommands about the database as a whole: init, demo, backup, audit
 * verify, version. */
#include "cli/cli.h"
#include "core/status.h"
#include "service/actor.h"
#include "service/demo.h"
#include "store/audit.h"
#include "store/migrate.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef YQ_VERSION
#define YQ_VERSION "0.1.0"
#endif

#define COMMON_HELP                                                                            \
    "  --db PATH           数据库文件（或 postgresql:// URL），默认 var/yunquan.db\n"         \
    "  --config FILE       配置文件（INI），默认 ./yunquan.conf\n"                             \
    "  --synchronous MODE  SQLite 同步级别 FULL|NORMAL|OFF，默认 FULL\n"

static const struct cli_spec init_spec = {
    "用法：yunquan init [--db PATH]\n"
    "创建数据库并应用迁移，载入区县等基础数据。可重复执行。\n" COMMON_HELP,
    NULL};

static int load_reference(struct db *db)
{
    struct actor a;
    actor_cli(&a);
    struct problem p;
    problem_clear(&p);
    if (demo_load_reference(db, &a, &p) != YQ_OK) {
        fprintf(stderr, "yunquan: %s\n", p.message);
        return 1;
    }
    return 0;
}

int cmd_init(int argc, char **argv)
{
    struct cli_args a;
    int rc = cli_parse(argc, argv, &init_spec, &a);
    if (rc) return rc;
    if (a.help) {
        fputs(init_spec.usage, stdout);
        return 0;
    }
    struct db *db = cli_open_db(&a);
    if (!db) return 1;
    rc = load_reference(db);
    if (!rc) printf("数据库已就绪：%s（迁移版本 %d）\n", a.cfg.db, migrate_version(db));
    db_close(db);
    return rc;
}

static const struct cli_spec demo_spec = {
    "用法：yunquan demo [--db PATH]\n"
    "创建演示数据库：济宁市各区县和每个角色一个演示账号（区县角色属任城区）。\n"
    "新账号的密码只打印这一次；设置环境变量 YUNQUAN_DEMO_PASSWORD 可让所有新账号使用同一密码（测试用）。\n"
    "已存在的账号保持不变。\n" COMMON_HELP,
    NULL};

int cmd_demo(int argc, char **argv)
{
    struct cli_args a;
    int rc = cli_parse(argc, argv, &demo_spec, &a);
    if (rc) return rc;
    if (a.help) {
        fputs(demo_spec.usage, stdout);
        return 0;
    }
    if ((rc = cli_setup_clock(&a.cfg))) return rc;
    struct db *db = cli_open_db(&a);
    if (!db) return 1;
    if ((rc = load_reference(db))) {
        db_close(db);
        return rc;
    }
    struct actor actor;
    actor_cli(&actor);
    struct problem p;
    problem_clear(&p);
    if (demo_load_demo_program(db, &actor, &p) != YQ_OK) {
        fprintf(stderr, "yunquan: 创建演示方案失败：%s\n", p.message);
        db_close(db);
        return 1;
    }
    struct demo_login logins[ROLE_COUNT];
    const char *pw = getenv("YUNQUAN_DEMO_PASSWORD");
    if (demo_create_accounts(db, &actor, pw && pw[0] ? pw : NULL, logins, &p) != YQ_OK) {
        fprintf(stderr, "yunquan: 创建演示账号失败：%s\n", p.message);
        db_close(db);
        return 1;
    }
    if (demo_create_registry(db, pw && pw[0] ? pw : NULL, &p) != YQ_OK) {
        fprintf(stderr, "yunquan: 创建演示企业与服务商失败：%s\n", p.message);
        db_close(db);
        return 1;
    }
    if (demo_create_redemptions(db, &p) != YQ_OK) {
        fprintf(stderr, "yunquan: 创建演示兑现数据失败：%s\n", p.message);
        db_close(db);
        return 1;
    }
    if (demo_create_contracts(db, &p) != YQ_OK) {
        fprintf(stderr, "yunquan: 创建演示合同与预算失败：%s\n", p.message);
        db_close(db);
        return 1;
    }
    db_close(db);
    printf("演示数据已就绪：%s\n", a.cfg.db);
    printf("%-16s %-16s %-18s %s\n", "角色", "用户名", "密码", "");
    for (int i = 0; i < ROLE_COUNT; i++)
        printf("%-16s %-16s %-18s %s\n", logins[i].role, logins[i].username,
               logins[i].password[0] ? logins[i].password : "(已存在，密码未变)",
               role_name_zh(role_parse(logins[i].role)));
    return 0;
}

static const struct cli_spec backup_spec = {
    "用法：yunquan backup [--db PATH] OUT\n"
    "把数据库一致地复制到 OUT（服务运行时也可执行；副本仅属主可读）。\n"
    "PostgreSQL 数据库：打印应运行的 pg_dump 命令（退出码 1）。\n" COMMON_HELP,
    NULL};

int cmd_backup(int argc, char **argv)
{
    struct cli_args a;
    int rc = cli_parse(argc, argv, &backup_spec, &a);
    if (rc) return rc;
    if (a.help) {
        fputs(backup_spec.usage, stdout);
        return 0;
    }
    if (a.npos != 1 || !a.pos[0][0]) {
        if (a.npos > 1)
            fprintf(stderr, "yunquan: 只能给一个备份文件路径，多余的参数：%s\n\n%s", a.pos[1],
                    backup_spec.usage);
        else
            fprintf(stderr, "yunquan: 请给出备份文件路径\n\n%s", backup_spec.usage);
        return 2;
    }
    /* Copying a file onto itself would report a backup that is not one. */
    char src[PATH_MAX], dst[PATH_MAX];
    if (strncmp(a.cfg.db, "postgres", 8) != 0 && realpath(a.cfg.db, src) &&
        realpath(a.pos[0], dst) && strcmp(src, dst) == 0) {
        fprintf(stderr, "yunquan: 备份文件不能是数据库本身（%s），请另给一个路径\n", a.pos[0]);
        return 2;
    }
    /* A backup never changes its source, not even its schema. */
    struct db *db = cli_open_installation(&a, false);
    if (!db) return 1;
    /* The copy holds password hashes and every party's records: readable
     * by its owner only, whatever the shell's umask (the service's is 077). */
    umask(077);
    rc = db_backup(db, a.pos[0]);
    if (rc != YQ_OK) fprintf(stderr, "yunquan: %s\n", db_error(db));
    else printf("已备份到 %s\n", a.pos[0]);
    db_close(db);
    return rc == YQ_OK ? 0 : 1;
}

static const struct cli_spec audit_spec = {
    "用法：yunquan audit verify [--db PATH]\n"
    "重新计算审计链。链完整时退出码为 0；否则指出第一条不符的记录，退出码为 3。\n" COMMON_HELP,
    NULL};

int cmd_audit(int argc, char **argv)
{
    struct cli_args a;
    int rc = cli_parse(argc, argv, &audit_spec, &a);
    if (rc) return rc;
    if (a.help) {
        fputs(audit_spec.usage, stdout);
        return 0;
    }
    if (a.npos != 1 || strcmp(a.pos[0], "verify") != 0) {
        fprintf(stderr, "%s", audit_spec.usage);
        return 2;
    }
    struct db *db = cli_open_existing_db(&a);
    if (!db) return 1;
    struct audit_report rep;
    rc = audit_verify(db, &rep);
    if (rc == YQ_OK) {
        printf("审计链完整：共 %lld 条记录\n", (long long)rep.checked);
    } else if (rc == YQ_ECONFLICT) {
        printf("审计链被破坏：第 %lld 条记录不符（%s）；之前 %lld 条完好\n",
               (long long)rep.bad_seq, rep.reason, (long long)rep.checked);
    } else {
        fprintf(stderr, "yunquan: 无法读取审计记录：%s\n", db_error(db));
    }
    db_close(db);
    return rc == YQ_OK ? 0 : rc == YQ_ECONFLICT ? 3 : 1;
}

int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("yunquan %s (schema %d)\n", YQ_VERSION, migrate_latest());
    return 0;
}
