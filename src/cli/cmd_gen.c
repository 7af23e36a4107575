/* `yunquan gen`: builds a province-scale data set for benchmarks
 * (service/gen.h), with a progress bar on a terminal and plain lines
 * otherwise. */
#include "cli/cli.h"
#include "core/clock.h"
#include "core/status.h"
#include "service/gen.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const gen_options[] = {"cities=", "enterprises=", "seed=", "batch=", NULL};

static const struct cli_spec gen_spec = {
    "用法：yunquan gen --db PATH --cities N --enterprises N --seed S [--batch N]\n"
    "生成省级规模的测试数据（基准测试的数据基础）：山东省前 N 个地市（1–16，济宁市在前）的\n"
    "区县、服务商与上架目录、N 家企业（1–900000，各种登记状态）、各区县预算、按时间先后\n"
    "确认的合同、云服务券与候补队列，以及 2018H1–2020H2 每个半年的兑现与拨付。\n"
    "同一个 --seed 生成完全相同的数据库。数据库须是新的（没有合同）。\n"
    "生成的账号没有密码，用 yunquan user passwd 设置；或用 yunquan user add 另建账号。\n"
    "  --batch N           每个事务写入的记录数，默认 1000\n"
    "  --db PATH           数据库文件（或 postgresql:// URL）\n"
    "  --synchronous MODE  SQLite 同步级别 FULL|NORMAL|OFF，生成时建议 OFF\n",
    gen_options};

static int parse_count(const char *name, const char *label, const char *s, long long lo,
                       long long hi, long long *out)
{
    if (!s) {
        fprintf(stderr, "yunquan: 缺少 --%s（%s，%lld–%lld）\n", name, label, lo, hi);
        return 2;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "yunquan: --%s 须为 %lld–%lld 之间的整数（%s），得到 “%s”\n", name, lo, hi,
                label, s);
        return 2;
    }
    *out = v;
    return 0;
}

static int64_t gen_epoch;

static bool fixed_clock(int64_t *now_ms, void *ctx)
{
    (void)ctx;
    *now_ms = gen_epoch;
    return true;
}

int cmd_gen(int argc, char **argv)
{
    struct cli_args a;
    int rc = cli_parse(argc, argv, &gen_spec, &a);
    if (rc) return rc;
    if (a.help) {
        fputs(gen_spec.usage, stdout);
        return 0;
    }
    long long cities, enterprises, seed, batch = 1000;
    if ((rc = parse_count("cities", "地市数", cli_opt(&a, "cities"), 1, GEN_MAX_CITIES, &cities)) ||
        (rc = parse_count("enterprises", "企业数", cli_opt(&a, "enterprises"), 1,
                          GEN_MAX_ENTERPRISES, &enterprises)) ||
        (rc = parse_count("seed", "随机种子", cli_opt(&a, "seed"), 0, 9223372036854775807LL,
                          &seed)) ||
        (cli_opt(&a, "batch") &&
         (rc = parse_count("batch", "每个事务的记录数", cli_opt(&a, "batch"), 1, 100000, &batch))))
        return rc;
    bool named_db = false;
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "--db", 4) == 0 && (argv[i][4] == '\0' || argv[i][4] == '='))
            named_db = true;
    if (!named_db) {
        fprintf(stderr, "yunquan: 缺少 --db（生成数据须写入一个新的数据库文件）\n");
        return 2;
    }
    /* Migrations stamp their time too: the program's first day, so that
     * the whole file depends on the seed alone. */
    gen_epoch = (int64_t)clock_days_from_civil(2018, 1, 23) * 86400000LL;
    clock_set_source(fixed_clock, NULL);
    struct db *db = cli_open_db(&a);
    if (!db) return 1;
    struct cli_progress pr = cli_progress_start();
    struct gen_options o = {(int)cities, enterprises,       (uint64_t)seed,
                            (int)batch,  cli_progress_show, &pr};
    struct gen_stats s;
    struct problem p;
    problem_clear(&p);
    rc = gen_run(db, &o, &s, &p);
    if (pr.tty) fputc('\n', stderr);
    db_close(db);
    if (rc != YQ_OK) {
        fprintf(stderr, "yunquan: %s\n", p.message);
        return 1;
    }
    printf("已生成：%lld 个区县、%lld 家服务商、%lld 家企业（已通过 %lld）、%lld 份合同、"
           "确认即发券 %lld 张、进入候补 %lld 份（随后续资金依次补发）、%lld 份兑现申请、%lld "
           "批拨付，用时 %lld 秒\n",
           (long long)s.counties, (long long)s.providers, (long long)s.enterprises,
           (long long)s.approved, (long long)s.contracts, (long long)s.vouchers,
           (long long)s.waiting, (long long)s.redemptions, (long long)s.payouts,
           (long long)(time(NULL) - pr.started));
    return 0;
}
