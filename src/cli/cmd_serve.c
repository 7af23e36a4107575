/* `yunquan serve`: applies migrations and runs the HTTP server. */
#include "api/api.h"
#include "cli/cli.h"
#include "core/status.h"
#include "http/metrics.h"
#include "http/server.h"
#include "service/client_addr.h"
#include "service/group.h"
#include "service/guard.h"
#include "service/password.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct cli_spec serve_spec = {
    "用法：yunquan serve [--db PATH] [--listen HOST:PORT] [--threads N] [选项]\n"
    "启动平台服务（先应用数据库迁移）。SIGTERM/SIGINT 时等进行中的请求完成后退出。\n"
    "  --db PATH            数据库文件，默认 var/yunquan.db\n"
    "  --listen HOST:PORT   监听地址，默认 127.0.0.1:8080（端口 0 自动选择）\n"
    "  --threads N          HTTP 工作线程数，默认 4\n"
    "  --write-threads N    执行写请求的线程数（各有数据库连接）；0 表示由工作线程执行；\n"
    "                       默认：SQLite（组提交）64，PostgreSQL 16\n"
    "  --synchronous MODE   SQLite 同步级别 FULL|NORMAL|OFF，默认 FULL\n"
    "  --body-max BYTES     请求体上限，默认 1048576\n"
    "  --web-root DIR       前端构建目录，默认 <程序目录>/../web/dist\n"
    "  --cookie-secure BOOL 给 Cookie 加 Secure；默认在 --public-url 为 https 时加\n"
    "  --hsts-max-age S     Strict-Transport-Security 的 max-age 秒数，0 为不发送；\n"
    "                       默认在 --public-url 为 https 时为一年（31536000），否则不发送\n"
    "  --access-log FILE    访问日志（JSON 行）；- 为标准输出，空为关闭\n"
    "  --now INSTANT        时钟从该时刻开始走（演示、测试）\n"
    "  --clock-file FILE    测试时钟：每次读取该文件中的时刻\n"
    "  --data-dir DIR       合同附件存放目录，默认 var/files\n"
    "  --public-url URL     券面二维码指向的公开地址，默认 http://监听地址\n"
    "  --grace-days N       服务期满后多少天未兑现即过期，默认 90\n"
    "  --trusted-proxies LIST  可信反向代理（逗号分隔的地址或网段，如 127.0.0.1,10.0.0.0/8）；\n"
    "                       仅来自它们的连接才采信 X-Forwarded-For，默认不采信\n"
    "  --signup-per-hour N  同一客户端地址每小时最多注册次数，默认 10\n"
    "  --hash-concurrency N 同时进行的 Argon2id 密码计算上限，默认 2（总小于执行写请求的线程数）\n"
    "  --per-ip-connections N  每个客户端地址最多同时连接数，默认 64，0 为不限\n"
    "  --public-snapshot-ms N  公开核验共用读取快照的最长毫秒数（本服务的提交立即可见），\n"
    "                       默认 50，0 为每次单独读取\n"
    "  --group-commit M     auto（默认）：SQLite 上写请求由一个写入线程成组提交，PostgreSQL 上各自提交；\n"
    "                       true：两种数据库都成组提交；false：各自提交\n"
    "  --read-db URL        只读副本（如 PostgreSQL 流复制备库）：公开核验与统计报表从它读取，\n"
    "                       可能比主库晚复制延迟那么久；默认不用，全部读主库\n"
    "  --request-timeout S  一个请求的请求头与请求体须在 S 秒内收完，默认 60，0 为不限\n"
    "                       （已登录的附件上传按上限大小另加时间）\n"
    "  --metrics-token T    持此令牌（Authorization: Bearer T）可读取 /metrics；宜用环境变量\n"
    "                       YUNQUAN_METRICS_TOKEN 或配置文件给出\n"
    "  --metrics-loopback BOOL  本机客户端无需令牌即可读取 /metrics，默认 true；\n"
    "                       在同机反向代理之后运行时设为 false\n"
    "  --site-host-org T    页脚：主办单位；--site-operator-org 承办单位；--site-contact 联系方式；\n"
    "                       --site-icp ICP 备案号；--site-gov-code 政府网站标识码（未设不显示）\n"
    "  --agreement-file F   注册须同意的用户协议（UTF-8 文本），默认内置文本；\n"
    "                       --privacy-file F 隐私政策；--agreement-version V 协议版本，默认 2026-1\n"
    "  --config FILE        配置文件（INI）；优先级：默认 < 配置文件 < YUNQUAN_* 环境变量 < 选项\n",
    NULL};

static void on_listen(int port, void *ctx)
{
    const char *host = ctx;
    printf("云券平台已启动：http://%s:%d/\n", host, port);
    fflush(stdout);
}

/* <directory of the binary>/../web/dist, when it exists. */
static void default_web_root(char *out, size_t n)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    out[0] = '\0';
    if (len <= 0) return;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return;
    *slash = '\0';
    char candidate[PATH_MAX + 32];
    snprintf(candidate, sizeof candidate, "%s/../web/dist", exe);
    struct stat sb;
    if (stat(candidate, &sb) == 0 && S_ISDIR(sb.st_mode)) snprintf(out, n, "%s", candidate);
}

/* A text the operator gives as a file (at most 256 KiB of UTF-8), read
 * once; NULL with a message when it cannot be read. */
static char *read_text(const char *key, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "yunquan: %s：无法读取 %s\n", key, path);
        return NULL;
    }
    enum { TEXT_MAX = 256 * 1024 };
    char *buf = malloc(TEXT_MAX + 1);
    size_t n = buf ? fread(buf, 1, TEXT_MAX + 1, f) : 0;
    bool bad = !buf || ferror(f) || n == 0 || n > TEXT_MAX || memchr(buf, '\0', n);
    fclose(f);
    if (bad) {
        fprintf(stderr, "yunquan: %s：%s 为空、过大（上限 256 KiB）或不是文本\n", key, path);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

int cmd_serve(int argc, char **argv)
{
    struct cli_args a;
    int rc = cli_parse(argc, argv, &serve_spec, &a);
    if (rc) return rc;
    if (a.help) {
        fputs(serve_spec.usage, stdout);
        return 0;
    }
    if ((rc = cli_setup_clock(&a.cfg))) return rc;
    struct db *db = cli_open_db(&a);
    if (!db) return 1;
    db_close(db);

    char host[128];
    snprintf(host, sizeof host, "%s", a.cfg.listen);
    char *colon = strrchr(host, ':');
    *colon = '\0'; /* config_set checked the HOST:PORT shape */
    long port = strtol(colon + 1, NULL, 10);

    char web_root[PATH_MAX + 64];
    if (a.cfg.web_root[0])
        snprintf(web_root, sizeof web_root, "%s", a.cfg.web_root);
    else
        default_web_root(web_root, sizeof web_root);

    FILE *access_log = NULL;
    if (strcmp(a.cfg.access_log, "-") == 0) {
        access_log = stdout;
    } else if (a.cfg.access_log[0]) {
        access_log = fopen(a.cfg.access_log, "a");
        if (!access_log) {
            fprintf(stderr, "yunquan: 无法打开访问日志 %s\n", a.cfg.access_log);
            return 1;
        }
    }

    char public_url[300];
    if (a.cfg.public_url[0])
        snprintf(public_url, sizeof public_url, "%s", a.cfg.public_url);
    else
        snprintf(public_url, sizeof public_url, "http://%s", a.cfg.listen);
    char err[256];
    if (client_addr_trust(a.cfg.trusted_proxies, err, sizeof err) != YQ_OK) {
        fprintf(stderr, "yunquan: trusted_proxies：%s\n", err);
        return 2;
    }
    char *agreement = NULL, *privacy = NULL;
    if ((a.cfg.agreement_file[0] &&
         !(agreement = read_text("agreement_file", a.cfg.agreement_file))) ||
        (a.cfg.privacy_file[0] && !(privacy = read_text("privacy_file", a.cfg.privacy_file)))) {
        free(agreement);
        return 2;
    }
    guard_set_signup_limit(a.cfg.signup_per_hour);
    /* Group commit: every write of the process goes through one writer
     * thread (service/group.h). By default on SQLite only: PostgreSQL takes
     * concurrent writers and groups their commits itself (commit_delay);
     * `--group-commit true` puts it in front of PostgreSQL too (both are
     * measured in docs/benchmarks.md). */
    bool grouped = a.cfg.group_commit &&
                   (a.cfg.group_commit_given || strncmp(a.cfg.db, "postgres", 8) != 0);
    /* Under group commit a write thread only waits for the writer, and
     * how many wait at once bounds a group: 64 let groups of ~30 form in
     * the rush, against ~9 with 16 (docs/benchmarks.md, "Twelfth
     * session"). Without it each is a database connection in use. */
    if (a.cfg.write_threads < 0) a.cfg.write_threads = grouped ? 64 : 16;
    /* Argon2id never holds every thread that runs sign-ins (the writer
     * threads, or the workers without them): at most n - 1 hash or wait. */
    int runners = a.cfg.write_threads > 0 ? a.cfg.write_threads : a.cfg.threads;
    int hashing = a.cfg.hash_concurrency < runners ? a.cfg.hash_concurrency : runners - 1;
    if (hashing < 1) hashing = 1;
    int queued = runners - 1 - hashing;
    password_limit(hashing, queued < 0 ? 0 : queued);
    /* Served over https (behind a TLS proxy): Secure cookies unless told
     * otherwise, and HSTS. */
    bool https = strncmp(public_url, "https://", 8) == 0;
    api_init(&(struct api_options){
        .cookie_secure = a.cfg.cookie_secure_set ? a.cfg.cookie_secure : https,
        .data_dir = a.cfg.data_dir,
        .public_url = public_url,
        .metrics_token = a.cfg.metrics_token,
        .metrics_loopback = a.cfg.metrics_loopback,
        .site_host_org = a.cfg.site_host_org,
        .site_operator_org = a.cfg.site_operator_org,
        .site_contact = a.cfg.site_contact,
        .site_icp = a.cfg.site_icp,
        .site_gov_code = a.cfg.site_gov_code,
        .agreement_version = a.cfg.agreement_version,
        .agreement_text = agreement,
        .privacy_text = privacy,
    });
    if (grouped) {
        char gerr[512];
        if (service_group_start(a.cfg.db, &(struct db_options){.synchronous = a.cfg.synchronous},
                                gerr, sizeof gerr) != YQ_OK) {
            fprintf(stderr, "yunquan: %s\n", gerr);
            return 1;
        }
    }
    jobs_start(a.cfg.db, a.cfg.synchronous, a.cfg.grace_days);
    metrics_init(api_routes, api_route_count);
    struct server_config sc = {
        .host = host,
        .port = (int)port,
        .threads = a.cfg.threads,
        .write_threads = a.cfg.write_threads,
        .db_url = a.cfg.db,
        .read_db_url = a.cfg.read_db[0] ? a.cfg.read_db : NULL,
        .db_opt = {.synchronous = a.cfg.synchronous},
        .body_max = (size_t)a.cfg.body_max,
        .web_root = web_root[0] ? web_root : NULL,
        .per_ip_connections = (unsigned)a.cfg.per_ip_connections,
        .public_snapshot_ms = a.cfg.public_snapshot_ms,
        .request_timeout = a.cfg.request_timeout,
        .hsts_max_age = a.cfg.hsts_max_age_set ? a.cfg.hsts_max_age : https ? 31536000 : 0,
        .access_log = access_log,
        .dispatch = api_dispatch,
        .admit = api_admit,
        .lane = api_write_lane,
        .body_limit = api_body_limit,
        .on_listen = on_listen,
        .ctx = host,
    };
    if (!sc.web_root)
        fprintf(stderr, "yunquan: 未找到前端构建目录（web/dist），只提供接口\n");
    rc = server_run(&sc);
    jobs_stop();
    if (grouped) service_group_stop();
    if (access_log && access_log != stdout) fclose(access_log);
    free(agreement);
    free(privacy);
    return rc;
}
