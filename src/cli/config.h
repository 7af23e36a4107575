/* Settings of the server and the commands, with one precedence:
 * defaults < yunquan.conf (INI) < YUNQUAN_* environment < command-line
 * flags. Each layer goes through config_set, so every key is checked the
 * same way wherever it comes from. */
#ifndef YQ_CLI_CONFIG_H
#define YQ_CLI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct config {
    char db[512];          /* db: file path or postgresql:// URL */
    char read_db[512];     /* read_db: a replica for public verification and reports ("": none) */
    char listen[128];      /* listen: HOST:PORT */
    int threads;           /* threads: HTTP worker threads */
    int write_threads;     /* write_threads: threads running writing requests; 0: the workers;
                            * -1 (unset): 64 under group commit, else 16 */
    char synchronous[16];  /* synchronous: FULL | NORMAL | OFF */
    long body_max;         /* body_max: request body cap in bytes */
    char web_root[512];    /* web_root: folder of the built UI */
    bool cookie_secure;    /* cookie_secure: Secure cookies (TLS) */
    bool cookie_secure_set; /* given; else Secure when public_url is https */
    char access_log[512];  /* access_log: "-" stdout, "" off, or a file */
    char now[64];          /* now: start the clock at this instant */
    char clock_file[512];  /* clock_file: test clock, read on every tick */
    char data_dir[512];    /* data_dir: where attachments are stored */
    char public_url[256];  /* public_url: base of links on vouchers ("" = http://listen) */
    int grace_days;        /* grace_days: days after the service period before expiry */
    char trusted_proxies[512]; /* trusted_proxies: proxies whose X-Forwarded-For is believed */
    int signup_per_hour;   /* signup_per_hour: sign-ups per client address and hour */
    int hash_concurrency;  /* hash_concurrency: Argon2id computations at once (< threads) */
    /* per_ip_connections: open connections per client address (0: no cap) */
    int per_ip_connections;
    /* public_snapshot_ms: how long a server thread's public verifications
     * may share one SQLite snapshot (never past a commit of the server;
     * another process's commit shows after at most this); 0: off */
    int public_snapshot_ms;
    int request_timeout;     /* request_timeout: seconds for headers and body (0: none) */
    char metrics_token[128]; /* metrics_token: Bearer token for /metrics ("": none) */
    bool group_commit;       /* group_commit: one writer thread commits queued writes together */
    bool group_commit_given; /* said true/false (not "auto", the default): also on PostgreSQL */
    bool metrics_loopback;   /* metrics_loopback: loopback reads /metrics without it */
    long hsts_max_age;       /* hsts_max_age: Strict-Transport-Security max-age (0: none) */
    bool hsts_max_age_set;   /* given; else one year when public_url is https, none otherwise */
    /* The footer of the public pages (GET /api/v1/public/site); each shown
     * only when set. */
    char site_host_org[256];     /* site_host_org: 主办单位 */
    char site_operator_org[256]; /* site_operator_org: 承办单位 */
    char site_contact[256];      /* site_contact: 联系方式 */
    char site_icp[128];          /* site_icp: ICP 备案号 */
    char site_gov_code[64];      /* site_gov_code: 政府网站标识码 */
    /* Sign-up consent: the texts (UTF-8 files; "" the built-in default)
     * and the version recorded with each consent. */
    char agreement_file[512];    /* agreement_file: 用户协议 */
    char privacy_file[512];      /* privacy_file: 隐私政策 */
    char agreement_version[64];  /* agreement_version: default "2026-1" */
};

void config_defaults(struct config *c);
/* Sets one key ("threads", "web_root", ...). YQ_OK or YQ_EINVAL with err. */
int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen);
/* Applies INI text: `key = value` lines, `#`/`;` comments, [sections]
 * ignored (keys are unique). */
int config_apply_ini(struct config *c, const char *text, char *err, size_t errlen);
/* Applies YUNQUAN_<KEY> variables from envp (NULL-terminated). */
int config_apply_env(struct config *c, char *const *envp, char *err, size_t errlen);
/* The key a flag names ("--web-root" → "web_root"), or NULL if none. */
const char *config_key_of_flag(const char *flag, char *key, size_t keylen);

#endif
