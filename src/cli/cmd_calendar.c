/* `yunquan calendar import FILE` and `yunquan calendar show`: the years of
 * the official working-day calendar. The State Council publishes each
 * year's holidays late in the year before; the operator imports the new
 * year then (SPEC: "the operator adds each new year when it is
 * published"), and running servers find it without a restart. */
#include "cli/cli.h"
#include "core/status.h"
#include "service/actor.h"
#include "service/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_spec calendar_spec = {
    "用法：yunquan calendar import FILE [--db PATH]\n"
    "      yunquan calendar show [--db PATH]\n"
    "  import  载入国务院办公厅新公布的一年（或几年）节假日安排。FILE 为 UTF-8 CSV，\n"
    "          格式与 data/cn-holidays.csv 相同：首行为列名 date,kind,name，其后每行\n"
    "          YYYY-MM-DD,holiday|workday,名称（holiday 为放假日，workday 为调休上班日）。\n"
    "          已载入的年份不能再载入；须紧接已载入的最后一年。运行中的服务无需重启。\n"
    "  show    显示已载入的年份\n"
    "  --db PATH           数据库文件，默认 var/yunquan.db\n"
    "退出码：0 成功，1 文件有错或未能载入，2 用法错误\n",
    NULL};

/* The calendar file, at most 64 KiB (a year is ~40 rows). */
#define CALENDAR_FILE_MAX (64 * 1024)

static char *read_small(const char *path, size_t *len)
{
    char *data = cli_read_file(path, CALENDAR_FILE_MAX, len);
    if (data && *len > CALENDAR_FILE_MAX) {
        fprintf(stderr, "yunquan: %s 超过 64 KiB\n", path);
        free(data);
        return NULL;
    }
    return data;
}

int cmd_calendar(int argc, char **argv)
{
    struct cli_args a;
    int rc = cli_parse(argc, argv, &calendar_spec, &a);
    if (rc) return rc;
    bool import = a.npos == 2 && strcmp(a.pos[0], "import") == 0;
    bool show = a.npos == 1 && strcmp(a.pos[0], "show") == 0;
    if (a.help || !(import || show)) {
        fputs(calendar_spec.usage, a.help ? stdout : stderr);
        return a.help ? 0 : 2;
    }
    size_t len = 0;
    char *data = import ? read_small(a.pos[1], &len) : NULL;
    if (import && !data) return 1;
    struct db *db = cli_open_existing_db(&a);
    if (!db) {
        free(data);
        return 1;
    }
    rc = 0;
    if (show) {
        const struct workday_calendar *c = calendar_official(db);
        if (c)
            printf("已载入 %d—%d 年的法定节假日安排\n", c->first_year, c->last_year);
        else
            fprintf(stderr, "yunquan: 节假日数据无法读取\n");
        rc = c ? 0 : 1;
    } else {
        struct actor actor;
        actor_cli(&actor);
        struct problem p;
        problem_clear(&p);
        json_t *out = calendar_import(db, &actor, data, len, &p);
        if (out) {
            int from = (int)json_integer_value(json_object_get(out, "from_year")),
                to = (int)json_integer_value(json_object_get(out, "to_year"));
            char years[32];
            if (from == to)
                snprintf(years, sizeof years, "%d", from);
            else
                snprintf(years, sizeof years, "%d—%d", from, to);
            printf("已载入 %s 年：放假 %lld 天，调休上班 %lld 天；日历现为 %d—%d 年\n", years,
                   (long long)json_integer_value(json_object_get(out, "holidays")),
                   (long long)json_integer_value(json_object_get(out, "workdays")),
                   (int)json_integer_value(json_object_get(out, "first_year")),
                   (int)json_integer_value(json_object_get(out, "last_year")));
            json_decref(out);
        } else {
            fprintf(stderr, "yunquan: %s\n", p.message);
            rc = 1;
        }
    }
    db_close(db);
    free(data);
    return rc;
}
