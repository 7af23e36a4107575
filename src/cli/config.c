/* Configuration layers. */
#include "cli/config.h"
#include "core/forwarded.h"
#include "core/status.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every key, as it is spelled in the file; YUNQUAN_<KEY> in the
 * environment; --key-with-dashes as a flag. */
static const char *const known_keys[] = {"db",         "listen",        "threads", "write_threads",
                                         "synchronous", "body_max",     "web_root",
                                         "cookie_secure", "access_log", "now",
                                         "clock_file",  "data_dir",     "public_url",
                                         "grace_days",  "trusted_proxies", "signup_per_hour",
                                         "hash_concurrency",
                                         "per_ip_connections",
                                         "request_timeout", "metrics_token",
                                         "metrics_loopback", "hsts_max_age",
                                         "site_host_org", "site_operator_org",
                                         "site_contact", "site_icp", "site_gov_code",
                                         "agreement_file", "privacy_file",
                                         "agreement_version", "group_commit", "read_db",
                                         "public_snapshot_ms",
                                         NULL};

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->db, sizeof c->db, "var/yunquan.db");
    snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
    c->threads = 4;
    c->write_threads = -1; /* chosen by serve: see cmd_serve.c */
    snprintf(c->synchronous, sizeof c->synchronous, "FULL");
    c->body_max = 1024 * 1024;
    snprintf(c->access_log, sizeof c->access_log, "-");
    snprintf(c->data_dir, sizeof c->data_dir, "var/files");
    c->grace_days = 90;
    c->signup_per_hour = 10;
    c->hash_concurrency = 2;
    c->per_ip_connections = 64;
    c->public_snapshot_ms = 50;
    c->request_timeout = 60;
    c->metrics_loopback = true;
    c->group_commit = true;
    snprintf(c->agreement_version, sizeof c->agreement_version, "2026-1");
}

static int parse_long(const char *v, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max) return YQ_EINVAL;
    *out = n;
    return YQ_OK;
}

/* "true"/"1"/"yes" or "false"/"0"/"no". */
static int parse_bool(const char *v, bool *out)
{
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcmp(v, "yes") == 0)
        *out = true;
    else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0 || strcmp(v, "no") == 0)
        *out = false;
    else
        return YQ_EINVAL;
    return YQ_OK;
}

static int set_string(char *dst, size_t n, const char *key, const char *v, char *err,
                      size_t errlen)
{
    if (strlen(v) >= n) {
        snprintf(err, errlen, "配置项 %s 过长", key);
        return YQ_EINVAL;
    }
    snprintf(dst, n, "%s", v);
    return YQ_OK;
}

int config_set(struct config *c, const char *key, const char *v, char *err, size_t errlen)
{
    long n;
    if (strcmp(key, "db") == 0) return set_string(c->db, sizeof c->db, key, v, err, errlen);
    if (strcmp(key, "read_db") == 0)
        return set_string(c->read_db, sizeof c->read_db, key, v, err, errlen);
    if (strcmp(key, "listen") == 0) {
        const char *colon = strrchr(v, ':');
        if (!colon || colon == v || parse_long(colon + 1, 0, 65535, &n) != YQ_OK) {
            snprintf(err, errlen, "listen 须为 主机:端口，例如 127.0.0.1:8080（得到 %s）", v);
            return YQ_EINVAL;
        }
        return set_string(c->listen, sizeof c->listen, key, v, err, errlen);
    }
    if (strcmp(key, "threads") == 0) {
        if (parse_long(v, 1, 256, &n) != YQ_OK) {
            snprintf(err, errlen, "threads 须为 1 至 256 的整数（得到 %s）", v);
            return YQ_EINVAL;
        }
        c->threads = (int)n;
        return YQ_OK;
    }
    if (strcmp(key, "write_threads") == 0) {
        if (parse_long(v, 0, 256, &n) != YQ_OK) {
            snprintf(err, errlen, "write_threads 须为 0 至 256 的整数（得到 %s）", v);
            return YQ_EINVAL;
        }
        c->write_threads = (int)n;
        return YQ_OK;
    }
    if (strcmp(key, "synchronous") == 0) {
        if (strcmp(v, "FULL") != 0 && strcmp(v, "NORMAL") != 0 && strcmp(v, "OFF") != 0) {
            snprintf(err, errlen, "synchronous 须为 FULL、NORMAL 或 OFF（得到 %s）", v);
            return YQ_EINVAL;
        }
        return set_string(c->synchronous, sizeof c->synchronous, key, v, err, errlen);
    }
    if (strcmp(key, "body_max") == 0) {
        if (parse_long(v, 1024, 1L << 30, &n) != YQ_OK) {
            snprintf(err, errlen, "body_max 须为 1024 至 1073741824 的字节数（得到 %s）", v);
            return YQ_EINVAL;
        }
        c->body_max = n;
        return YQ_OK;
    }
    if (strcmp(key, "web_root") == 0)
        return set_string(c->web_root, sizeof c->web_root, key, v, err, errlen);
    if (strcmp(key, "cookie_secure") == 0) {
        if (parse_bool(v, &c->cookie_secure) != YQ_OK) {
            snprintf(err, errlen, "cookie_secure 须为 true 或 false（得到 %s）", v);
            return YQ_EINVAL;
        }
        c->cookie_secure_set = true;
        return YQ_OK;
    }
    if (strcmp(key, "hsts_max_age") == 0) {
        if (parse_long(v, 0, 63072000, &n) != YQ_OK) {
            snprintf(err, errlen, "hsts_max_age 须为 0 至 63072000 的秒数，0 为不发送（得到 %s）", v);
            return YQ_EINVAL;
        }
        c->hsts_max_age = n;
        c->hsts_max_age_set = true;
        return YQ_OK;
    }
    if (strcmp(key, "public_snapshot_ms") == 0) {
        if (parse_long(v, 0, 60000, &n) != YQ_OK) {
            snprintf(err, errlen,
                     "public_snapshot_ms 须为 0 至 60000 的毫秒数，0 为每次核验单独读取（得到 %s）", v);
            return YQ_EINVAL;
        }
        c->public_snapshot_ms = (int)n;
        return YQ_OK;
    }
    if (strcmp(key, "per_ip_connections") == 0) {
        if (parse_long(v, 0, 100000, &n) != YQ_OK) {
            snprintf(err, errlen, "per_ip_connections 须为 0 至 100000 的整数，0 为不限（得到 %s）",
                     v);
            return YQ_EINVAL;
        }
        c->per_ip_connections = (int)n;
        return YQ_OK;
    }
    if (strcmp(key, "request_timeout") == 0) {
        if (parse_long(v, 0, 3600, &n) != YQ_OK) {
            snprintf(err, errlen, "request_timeout 须为 0 至 3600 的秒数，0 为不限（得到 %s）", v);
            return YQ_EINVAL;
        }
        c->request_timeout = (int)n;
        return YQ_OK;
    }
    if (strcmp(key, "metrics_token") == 0) {
        if (v[0] && strlen(v) < 16) {
            snprintf(err, errlen, "metrics_token 至少 16 个字符（或留空不用令牌）");
            return YQ_EINVAL;
        }
        for (const char *q = v; *q; q++)
            if (*q <= ' ' || *q > '~') {
                snprintf(err, errlen, "metrics_token 只能含可见 ASCII 字符");
                return YQ_EINVAL;
            }
        return set_string(c->metrics_token, sizeof c->metrics_token, key, v, err, errlen);
    }
    if (strcmp(key, "group_commit") == 0) {
        if (strcmp(v, "auto") == 0) {
            c->group_commit = true;
            c->group_commit_given = false;
            return YQ_OK;
        }
        if (parse_bool(v, &c->group_commit) != YQ_OK) {
            snprintf(err, errlen, "group_commit 须为 auto、true 或 false（得到 %s）", v);
            return YQ_EINVAL;
        }
        c->group_commit_given = true;
        return YQ_OK;
    }
    if (strcmp(key, "metrics_loopback") == 0) {
        if (parse_bool(v, &c->metrics_loopback) != YQ_OK) {
            snprintf(err, errlen, "metrics_loopback 须为 true 或 false（得到 %s）", v);
            return YQ_EINVAL;
        }
        return YQ_OK;
    }
    if (strcmp(key, "access_log") == 0)
        return set_string(c->access_log, sizeof c->access_log, key, v, err, errlen);
    if (strcmp(key, "now") == 0) return set_string(c->now, sizeof c->now, key, v, err, errlen);
    if (strcmp(key, "clock_file") == 0)
        return set_string(c->clock_file, sizeof c->clock_file, key, v, err, errlen);
    if (strcmp(key, "data_dir") == 0)
        return set_string(c->data_dir, sizeof c->data_dir, key, v, err, errlen);
    if (strcmp(key, "public_url") == 0) {
        if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0) {
            snprintf(err, errlen, "public_url 须以 http:// 或 https:// 开头（得到 %s）", v);
            return YQ_EINVAL;
        }
        return set_string(c->public_url, sizeof c->public_url, key, v, err, errlen);
    }
    if (strcmp(key, "grace_days") == 0) {
        if (parse_long(v, 0, 3650, &n) != YQ_OK) {
            snprintf(err, errlen, "grace_days 须为 0 至 3650 的天数（得到 %s）", v);
            return YQ_EINVAL;
        }
        c->grace_days = (int)n;
        return YQ_OK;
    }
    if (strcmp(key, "trusted_proxies") == 0) {
        struct proxy_list l;
        char sub[256];
        if (proxy_list_parse(v, &l, sub, sizeof sub) != YQ_OK) {
            snprintf(err, errlen, "trusted_proxies：%s", sub);
            return YQ_EINVAL;
        }
        return set_string(c->trusted_proxies, sizeof c->trusted_proxies, key, v, err, errlen);
    }
    if (strcmp(key, "signup_per_hour") == 0) {
        if (parse_long(v, 1, 1000000, &n) != YQ_OK) {
            snprintf(err, errlen, "signup_per_hour 须为 1 至 1000000 的整数（得到 %s）", v);
            return YQ_EINVAL;
        }
        c->signup_per_hour = (int)n;
        return YQ_OK;
    }
    if (strcmp(key, "hash_concurrency") == 0) {
        if (parse_long(v, 1, 64, &n) != YQ_OK) {
            snprintf(err, errlen, "hash_concurrency 须为 1 至 64 的整数（得到 %s）", v);
            return YQ_EINVAL;
        }
        c->hash_concurrency = (int)n;
        return YQ_OK;
    }
    /* The site's texts, shown as they are written. */
#define SITE_TEXT(name)                                                                        \
    if (strcmp(key, #name) == 0) return set_string(c->name, sizeof c->name, key, v, err, errlen);
    SITE_TEXT(site_host_org)
    SITE_TEXT(site_operator_org)
    SITE_TEXT(site_contact)
    SITE_TEXT(site_icp)
    SITE_TEXT(site_gov_code)
    SITE_TEXT(agreement_file)
    SITE_TEXT(privacy_file)
#undef SITE_TEXT
    if (strcmp(key, "agreement_version") == 0) {
        if (!v[0]) {
            snprintf(err, errlen, "agreement_version 不能为空");
            return YQ_EINVAL;
        }
        return set_string(c->agreement_version, sizeof c->agreement_version, key, v, err, errlen);
    }
    snprintf(err, errlen, "未知配置项：%s", key);
    return YQ_EINVAL;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) *--e = '\0';
    return s;
}

int config_apply_ini(struct config *c, const char *text, char *err, size_t errlen)
{
    int lineno = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char line[1024];
        lineno++;
        if (len >= sizeof line) {
            snprintf(err, errlen, "配置文件第 %d 行过长", lineno);
            return YQ_EINVAL;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p += len + (nl ? 1 : 0);
        char *s = trim(line);
        if (!*s || *s == '#' || *s == ';' || *s == '[') continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "配置文件第 %d 行缺少 '='", lineno);
            return YQ_EINVAL;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        if (strlen(value) >= 2 && value[0] == '"' && value[strlen(value) - 1] == '"') {
            value[strlen(value) - 1] = '\0';
            value++;
        }
        char sub[512];
        if (config_set(c, key, value, sub, sizeof sub) != YQ_OK) {
            snprintf(err, errlen, "配置文件第 %d 行：%s", lineno, sub);
            return YQ_EINVAL;
        }
    }
    return YQ_OK;
}

int config_apply_env(struct config *c, char *const *envp, char *err, size_t errlen)
{
    const char *const *keys = known_keys;
    for (int k = 0; keys[k]; k++) {
        char name[64];
        size_t j = 0;
        j += (size_t)snprintf(name, sizeof name, "YUNQUAN_");
        for (const char *q = keys[k]; *q && j < sizeof name - 2; q++)
            name[j++] = (char)(*q >= 'a' && *q <= 'z' ? *q - 32 : *q);
        name[j++] = '=';
        name[j] = '\0';
        for (char *const *e = envp; e && *e; e++) {
            if (strncmp(*e, name, j) != 0) continue;
            char sub[512];
            if (config_set(c, keys[k], *e + j, sub, sizeof sub) != YQ_OK) {
                snprintf(err, errlen, "环境变量 %.*s：%s", (int)(j - 1), name, sub);
                return YQ_EINVAL;
            }
        }
    }
    return YQ_OK;
}

const char *config_key_of_flag(const char *flag, char *key, size_t keylen)
{
    if (strncmp(flag, "--", 2) != 0) return NULL;
    size_t j = 0;
    for (const char *q = flag + 2; *q && *q != '=' && j < keylen - 1; q++)
        key[j++] = *q == '-' ? '_' : *q;
    key[j] = '\0';
    for (int k = 0; known_keys[k]; k++)
        if (strcmp(known_keys[k], key) == 0) return key;
    return NULL;
}
