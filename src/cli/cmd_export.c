/* `yunquan export`: a list as the web's export button gives it (Excel or
 * CSV), from the database, without a running server (SPEC §12). The
 * export itself is the API's (api/export_cli.c): same columns, same
 * filters checked by the same handler, same scope for the same account. */
#include "api/export.h"
#include "cli/cli.h"
#include "core/status.h"
#include "service/actor.h"
#include "service/auth.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const export_options[] = {"as=", "format=", "out=", "list", NULL};
static const struct cli_spec export_spec = {
    "用法：yunquan export [--db PATH] [--as 用户名] [--format xlsx|csv] [--out 文件] 列表 [键=值 …]\n"
    "       yunquan export --list\n"
    "把一个列表导出为 Excel 或 CSV 文件，与网页上“导出”按钮得到的文件相同；无需启动服务。\n"
    "  列表              接口中的列表路径，不含 /api/v1/（也可带上），例如 vouchers、contracts、\n"
    "                    enterprises、ledger/transfers、audit、reports/budget、payouts/<编号>/bank.xlsx；\n"
    "                    --list 列出全部可导出的列表\n"
    "  键=值             列表的筛选条件，与网页相同，例如 status=issued county=370811 year=2019 q=关键字；\n"
    "                    不合法的条件报错（退出码 2），不写文件\n"
    "  --as 用户名       以该账号的角色和范围导出（如区县账号只得到本区县的数据），如同它已登录；\n"
    "                    不给时以只读的全市运维身份导出（审计人员的权限，记为 cli:<登录名>）\n"
    "  --format 格式     xlsx（默认）或 csv（UTF-8，带 BOM）\n"
    "  --out 文件        输出文件；默认为网页下载的文件名（“<列表名称>-<日期>.<扩展名>”），\n"
    "                    写在当前目录；- 表示写到标准输出\n"
    "  --list            列出全部可导出的列表（路径和名称）\n"
    "  --db PATH         数据库文件（或 postgresql:// URL），默认 var/yunquan.db\n"
    "  --config FILE     配置文件（INI），默认 ./yunquan.conf\n"
    "成功时输出“已导出 N 行：文件”，退出码 0；参数或筛选条件不对、账号不存在或无权导出该列表，\n"
    "退出码 2；数据库或写文件出错，退出码 1。\n",
    export_options};

static int print_lists(void)
{
    for (size_t i = 0; i < export_spec_count; i++) {
        const char *route = export_specs[i].route;
        if (strncmp(route, "/api/v1/", 8) == 0) route += 8;
        printf("%-36s %s\n", route, export_specs[i].title);
    }
    return 0;
}

/* Copies the file to fd `to`; false on a read or write error. */
static bool copy_fd(int from, int to)
{
    char chunk[64 * 1024];
    for (;;) {
        ssize_t n = read(from, chunk, sizeof chunk);
        if (n == 0) return true;
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(to, chunk + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) return false;
            off += w;
        }
    }
}

/* The file at `path`, whole or not at all: written beside it, then
 * renamed over it. 0 or 1 with the reason printed. */
static int write_out(int fd, const char *path)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.part-%ld", path, (long)getpid());
    int to = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (to < 0) {
        fprintf(stderr, "yunquan: 无法写入 %s：%s\n", path, strerror(errno));
        return 1;
    }
    bool ok = copy_fd(fd, to);
    int err = errno;
    if (fsync(to) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (close(to) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        unlink(tmp);
        fprintf(stderr, "yunquan: 无法写入 %s：%s\n", path, strerror(err));
        return 1;
    }
    return 0;
}

/* The filters KEY=VALUE of pos[1..]; 0 or 2 with the reason printed. */
static int parse_filters(const struct cli_args *a, const char **names, const char **values,
                         char store[][128])
{
    for (int i = 1; i < a->npos; i++) {
        const char *arg = a->pos[i];
        const char *eq = strchr(arg, '=');
        size_t klen = eq ? (size_t)(eq - arg) : 0;
        if (!eq || klen == 0 || klen >= 128) {
            fprintf(stderr, "yunquan: 筛选条件须写成 键=值（例如 status=issued），得到 %s\n\n%s",
                    arg, export_spec.usage);
            return 2;
        }
        snprintf(store[i - 1], 128, "%.*s", (int)klen, arg);
        if (strcmp(store[i - 1], "format") == 0) {
            fprintf(stderr, "yunquan: 文件格式请用 --format 指定（xlsx 或 csv）\n");
            return 2;
        }
        names[i - 1] = store[i - 1];
        values[i - 1] = eq + 1;
    }
    return 0;
}

/* The identity: --as an account, else the read-only operator. 0, 1 or 2. */
static int actor_of(struct db *db, const char *as, struct actor *actor)
{
    if (!as) {
        actor_cli_reader(actor);
        return 0;
    }
    struct problem p;
    problem_clear(&p);
    int rc = auth_actor_of(db, as, actor, &p);
    if (rc == YQ_OK) return 0;
    fprintf(stderr, "yunquan: %s\n", p.message);
    return rc == YQ_ENOTFOUND || rc == YQ_EFORBIDDEN ? 2 : 1;
}

static int deliver(struct export_cli_result *r, const char *out)
{
    const char *path = out ? out : r->file_name;
    int rc = 0;
    if (strcmp(path, "-") == 0) {
        if (!copy_fd(r->fd, STDOUT_FILENO)) {
            fprintf(stderr, "yunquan: 写到标准输出失败：%s\n", strerror(errno));
            rc = 1;
        }
        path = "标准输出";
    } else {
        rc = write_out(r->fd, path);
    }
    if (!rc)
        fprintf(strcmp(path, "标准输出") == 0 ? stderr : stdout, "已导出 %lld 行：%s\n",
                (long long)r->rows, path);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    struct cli_args a;
    int rc = cli_parse(argc, argv, &export_spec, &a);
    if (rc) return rc;
    if (a.help) {
        fputs(export_spec.usage, stdout);
        return 0;
    }
    if (cli_opt(&a, "list")) return print_lists();
    if (a.npos < 1) {
        fprintf(stderr, "yunquan: 请给出要导出的列表（yunquan export --list 列出全部）\n\n%s",
                export_spec.usage);
        return 2;
    }
    const char *format = cli_opt(&a, "format");
    if (!format) format = "xlsx";
    if (strcmp(format, "xlsx") != 0 && strcmp(format, "csv") != 0) {
        fprintf(stderr, "yunquan: --format 只能是 xlsx 或 csv（得到 %s）\n", format);
        return 2;
    }
    const char *out = cli_opt(&a, "out");
    if (out && !out[0]) {
        fprintf(stderr, "yunquan: --out 须为文件路径，或 - 表示标准输出\n");
        return 2;
    }
    /* Renaming the file over the database would lose it. */
    char src[PATH_MAX], dst[PATH_MAX];
    if (out && strncmp(a.cfg.db, "postgres", 8) != 0 && realpath(a.cfg.db, src) &&
        realpath(out, dst) && strcmp(src, dst) == 0) {
        fprintf(stderr, "yunquan: 输出文件不能是数据库本身（%s），请另给一个路径\n", out);
        return 2;
    }
    const char *names[8], *values[8];
    char store[8][128];
    if ((rc = parse_filters(&a, names, values, store))) return rc;
    if ((rc = cli_setup_clock(&a.cfg))) return rc;
    struct db *db = cli_open_existing_db(&a);
    if (!db) return 1;
    struct actor actor;
    if ((rc = actor_of(db, cli_opt(&a, "as"), &actor))) {
        db_close(db);
        return rc;
    }
    struct export_cli_result r;
    export_cli_run(db, &actor, a.pos[0], format, names, values, a.npos - 1, &r);
    db_close(db);
    if (r.note[0]) fprintf(stderr, "yunquan: 提示：%s\n", r.note);
    if (r.status != 200) {
        fprintf(stderr, "yunquan: %s\n", r.message);
        return r.status >= 400 && r.status < 500 ? 2 : 1;
    }
    rc = deliver(&r, out);
    close(r.fd);
    return rc;
}
