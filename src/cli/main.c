/* yunquan: one binary for the server and the operators' commands. */
#include "cli/cli.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "云券 Yunquan：云服务券平台\n"
    "用法：yunquan <命令> [选项]；每个命令都接受 --help\n"
    "  init          创建数据库、应用迁移、载入基础数据\n"
    "  demo          创建演示数据和各角色演示账号\n"
    "  gen           生成省级规模的基准测试数据\n"
    "  serve         启动平台服务\n"
    "  user          账号管理：add | passwd | lock\n"
    "  audit verify  校验审计链\n"
    "  ledger check  校验账簿（资金池不透支、券额不超、借贷平衡、账实相符）\n"
    "  jobs run      立即执行定时任务（到期券作废并释放预算）\n"
    "  calendar      法定节假日日历：import（载入新公布的年份）| show\n"
    "  import enterprises  从 CSV（UTF-8 或 GBK）导入企业\n"
    "  export        把列表导出为 Excel 或 CSV（与网页导出相同）\n"
    "  backup        备份数据库\n"
    "  migrate       把整个平台从 SQLite 迁到另一个数据库（如 PostgreSQL）\n"
    "  version       显示版本\n";

int main(int argc, char **argv)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "yunquan: libsodium 初始化失败\n");
        return 1;
    }
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } commands[] = {
        {"init", cmd_init},   {"demo", cmd_demo},     {"serve", cmd_serve},
        {"user", cmd_user},   {"audit", cmd_audit},   {"backup", cmd_backup},
        {"ledger", cmd_ledger},   {"jobs", cmd_jobs},     {"import", cmd_import},
        {"gen", cmd_gen},     {"migrate", cmd_migrate}, {"export", cmd_export},
        {"calendar", cmd_calendar}, {"version", cmd_version}, {"--version", cmd_version},
    };
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0) return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "yunquan: 未知命令 %s\n\n%s", argv[1], usage);
    return 2;
}
