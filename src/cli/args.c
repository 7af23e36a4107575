/* Parsing shared by all subcommands: config precedence, flags, the test
 * clock. */
#include "cli/cli.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/status.h"
#include "store/migrate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

extern char **environ;

static char *read_file(const char *path, long max)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *text = malloc((size_t)max + 1);
    size_t n = text ? fread(text, 1, (size_t)max, f) : 0;
    fclose(f);
    if (!text) return NULL;
    text[n] = '\0';
    return text;
}

static const char *spec_option(const struct cli_spec *spec, const char *name, bool *takes_value)
{
    for (int i = 0; spec->options && spec->options[i]; i++) {
        const char *o = spec->options[i];
        size_t n = strcspn(o, "=");
        if (strlen(name) == n && strncmp(o, name, n) == 0) {
            *takes_value = o[n] == '=';
            return o;
        }
    }
    return NULL;
}

int cli_parse(int argc, char **argv, const struct cli_spec *spec, struct cli_args *a)
{
    memset(a, 0, sizeof *a);
    config_defaults(&a->cfg);
    char err[512];

    /* 1. The config file: --config, else YUNQUAN_CONFIG, else ./yunquan.conf. */
    const char *path = getenv("YUNQUAN_CONFIG");
    bool explicit_path = path != NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            path = argv[i + 1];
            explicit_path = true;
        } else if (strncmp(argv[i], "--config=", 9) == 0) {
            path = argv[i] + 9;
            explicit_path = true;
        }
    }
    if (!path) path = "yunquan.conf";
    char *text = read_file(path, 1 << 20);
    if (!text && explicit_path) {
        fprintf(stderr, "yunquan: 无法读取配置文件 %s: %s\n", path, strerror(errno));
        return 2;
    }
    if (text) {
        int rc = config_apply_ini(&a->cfg, text, err, sizeof err);
        free(text);
        if (rc != YQ_OK) {
            fprintf(stderr, "yunquan: %s: %s\n", path, err);
            return 2;
        }
    }
    /* 2. The environment. */
    if (config_apply_env(&a->cfg, environ, err, sizeof err) != YQ_OK) {
        fprintf(stderr, "yunquan: %s\n", err);
        return 2;
    }
    /* 3. Flags. */
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            a->help = true;
            continue;
        }
        if (strncmp(arg, "--", 2) != 0) {
            if (a->npos >= 8) {
                fprintf(stderr, "yunquan: 参数过多\n%s", spec->usage);
                return 2;
            }
            a->pos[a->npos++] = arg;
            continue;
        }
        const char *eq = strchr(arg, '=');
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(eq ? eq - arg - 2 : (long)strlen(arg) - 2),
                 arg + 2);
        char key[64];
        bool takes_value = true;
        bool is_config = strcmp(name, "config") == 0 || config_key_of_flag(arg, key, sizeof key);
        if (!is_config && !spec_option(spec, name, &takes_value)) {
            fprintf(stderr, "yunquan: 未知选项 --%s\n\n%s", name, spec->usage);
            return 2;
        }
        const char *value = "";
        if (takes_value) {
            if (eq) {
                value = eq + 1;
            } else if (i + 1 < argc) {
                value = argv[++i];
            } else {
                fprintf(stderr, "yunquan: 选项 --%s 需要一个值\n", name);
                return 2;
            }
        } else if (eq) {
            fprintf(stderr, "yunquan: 选项 --%s 不带值\n", name);
            return 2;
        }
        if (strcmp(name, "config") == 0) continue;
        if (is_config) {
            if (config_set(&a->cfg, key, value, err, sizeof err) != YQ_OK) {
                fprintf(stderr, "yunquan: %s\n", err);
                return 2;
            }
        } else if (a->nopts < CLI_MAX_OPTS) {
            a->opts[a->nopts].name = spec_option(spec, name, &takes_value);
            a->opts[a->nopts].value = value;
            a->nopts++;
        }
    }
    return 0;
}

const char *cli_opt(const struct cli_args *a, const char *name)
{
    size_t n = strlen(name);
    for (int i = 0; i < a->nopts; i++)
        if (strncmp(a->opts[i].name, name, n) == 0 &&
            (a->opts[i].name[n] == '\0' || a->opts[i].name[n] == '='))
            return a->opts[i].value;
    return NULL;
}

/* The database as it is: no migration applied (yet); `read_only` opens it
 * without even setting SQLite's journal mode. */
static struct db *open_as_is(const struct cli_args *a, bool read_only)
{
    char err[512];
    struct db_options opt = {.synchronous = a->cfg.synchronous, .read_only = read_only};
    struct db *db = db_open(a->cfg.db, &opt, err, sizeof err);
    if (!db) fprintf(stderr, "yunquan: %s\n", err);
    return db;
}

static struct db *migrated(struct db *db)
{
    if (db && migrate_up(db) != YQ_OK) {
        fprintf(stderr, "yunquan: 数据库迁移失败: %s\n", db_error(db));
        db_close(db);
        return NULL;
    }
    return db;
}

struct db *cli_open_db(const struct cli_args *a)
{
    /* Create the folder of a relative or absolute SQLite path. */
    if (strncmp(a->cfg.db, "postgres", 8) != 0) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s", a->cfg.db);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = '\0';
            mkdir(dir, 0750);
        }
    }
    return migrated(open_as_is(a, false));
}

struct db *cli_open_installation(const struct cli_args *a, bool migrate)
{
    struct stat st;
    if (strncmp(a->cfg.db, "postgres", 8) != 0 && stat(a->cfg.db, &st) != 0) {
        fprintf(stderr, "yunquan: 数据库 %s 不存在（新建请用 yunquan init --db %s）\n", a->cfg.db,
                a->cfg.db);
        return NULL;
    }
    /* An empty file or database, or another program's: left as it is
     * (looked at through a read-only connection). */
    struct db *db = open_as_is(a, true);
    if (!db) return NULL;
    int version = migrate_version(db);
    if (version > 0) {
        db_close(db);
        db = open_as_is(a, false);
        if (!db) return NULL;
    } else {
        if (version < 0)
            fprintf(stderr, "yunquan: 无法读取数据库 %s：%s\n", a->cfg.db, db_error(db));
        else
            fprintf(stderr,
                    "yunquan: %s 不是云券数据库（没有云券的数据表，未作任何改动；"
                    "新建请用 yunquan init --db %s）\n",
                    a->cfg.db, a->cfg.db);
        db_close(db);
        return NULL;
    }
    return migrate ? migrated(db) : db;
}

struct db *cli_open_existing_db(const struct cli_args *a)
{
    return cli_open_installation(a, true);
}

/* The test clock: the file holds an ISO instant; the clock reads it on
 * every tick, so a test moves time by rewriting the file. */
static bool clock_from_file(int64_t *now_ms, void *ctx)
{
    char *text = read_file(ctx, 128);
    if (!text) return false;
    text[strcspn(text, "\r\n")] = '\0';
    bool ok = clock_parse_iso(text, now_ms) == YQ_OK;
    free(text);
    return ok;
}

int cli_setup_clock(const struct config *c)
{
    if (c->now[0]) {
        int64_t ms;
        if (clock_parse_iso(c->now, &ms) != YQ_OK) {
            fprintf(stderr, "yunquan: now / YUNQUAN_NOW 须为 ISO 8601 时刻，例如"
                            " 2019-07-01T09:00:00+08:00（得到 %s）\n",
                    c->now);
            return 2;
        }
        clock_set_now(ms);
    }
    if (c->clock_file[0]) clock_set_source(clock_from_file, (void *)c->clock_file);
    return 0;
}

/* Reads at most max + 1 bytes, so that a file over the cap is told apart.
 * NULL (with a message printed) when it cannot be read. */
char *cli_read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "yunquan: 无法打开文件 %s\n", path);
        return NULL;
    }
    char *data = yq_malloc(max + 2);
    *len = fread(data, 1, max + 1, f);
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        fprintf(stderr, "yunquan: 读取文件 %s 失败\n", path);
        free(data);
        return NULL;
    }
    data[*len] = '\0';
    return data;
}
