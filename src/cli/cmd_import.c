/* `yunquan import enterprises FILE --county CODE [--dry-run]`: the same
 * import as POST /enterprises/import (issue 10), for the operator. Errors
 * go to stdout, one a line; a progress bar to stderr when it is a
 * terminal. */
#include "cli/cli.h"
#include "core/import_columns.h"
#include "core/status.h"
#include "service/actor.h"
#include "service/enterprise_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const import_options[] = {"county=", "dry-run", NULL};

static const struct cli_spec import_spec = {
    "用法：yunquan import enterprises FILE --county CODE [--dry-run]\n"
    "  从 CSV 文件（UTF-8 或 GBK 编码，第 1 行为列名）导入企业到区县 CODE（如 370811），\n"
    "  导入的企业为已审核状态。任何一行有错则一行都不导入，并按行号、列名列出全部错误。\n"
    "  列名与规则见 docs/import.md；模板见 GET /api/v1/enterprises/import/template.csv。\n"
    "  --dry-run           只检查，不写入\n"
    "  --db PATH           数据库文件，默认 var/yunquan.db\n"
    "退出码：0 成功（或检查无误），1 文件有错或未能导入，2 用法错误\n",
    import_options};

struct bar {
    bool tty;
    int shown; /* percent last drawn */
};

static void draw(void *ctx, long done, long total)
{
    struct bar *b = ctx;
    int pct = total > 0 ? (int)(done * 100 / total) : 100;
    if (pct == b->shown) return;
    b->shown = pct;
    if (b->tty) {
        char line[41];
        int fill = pct * 40 / 100;
        for (int i = 0; i < 40; i++)
            line[i] = i < fill ? '#' : '.';
        line[40] = '\0';
        fprintf(stderr, "\r[%s] %3d%% (%ld/%ld)", line, pct, done, total);
        if (done == total) fputc('\n', stderr);
    }
}

int cmd_import(int argc, char **argv)
{
    struct cli_args a;
    int rc = cli_parse(argc, argv, &import_spec, &a);
    if (rc) return rc;
    if (a.help || a.npos != 2 || strcmp(a.pos[0], "enterprises") != 0) {
        fputs(import_spec.usage, a.help ? stdout : stderr);
        return a.help ? 0 : 2;
    }
    const char *county = cli_opt(&a, "county");
    if (!county || !county[0]) {
        fprintf(stderr, "yunquan: 缺少 --county（如 370811）\n");
        return 2;
    }
    size_t len = 0;
    char *data = cli_read_file(a.pos[1], IMPORT_MAX_BYTES, &len);
    if (!data) return 1;
    struct db *db = cli_open_existing_db(&a);
    if (!db) {
        free(data);
        return 1;
    }
    struct actor actor;
    actor_cli(&actor);
    struct bar bar = {isatty(STDERR_FILENO) == 1, -1};
    bool dry = cli_opt(&a, "dry-run") != NULL;
    struct import_request rq = {county, data, len, !dry, draw, &bar};
    struct problem p;
    problem_clear(&p);
    json_t *out = NULL;
    rc = enterprise_import(db, &actor, &rq, &out, &p);
    db_close(db);
    free(data);
    if (!out) {
        fprintf(stderr, "yunquan: %s\n", p.message);
        return 1;
    }
    json_t *errors = json_object_get(out, "errors");
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        const char *column = json_string_value(json_object_get(e, "column"));
        printf("第 %" JSON_INTEGER_FORMAT " 行%s%s%s：%s\n",
               json_integer_value(json_object_get(e, "line")), column[0] ? "［" : "", column,
               column[0] ? "］" : "", json_string_value(json_object_get(e, "message")));
    }
    long rows = (long)json_integer_value(json_object_get(out, "rows"));
    const char *enc = json_string_value(json_object_get(out, "encoding"));
    const char *name = json_string_value(json_object_get(out, "county_name"));
    size_t nerr = json_array_size(errors);
    if (nerr)
        fprintf(stderr, "yunquan: 文件（%s）共 %ld 行企业，%zu 处错误，未导入任何企业\n", enc, rows,
                nerr);
    else if (dry)
        printf("检查通过：文件（%s）共 %ld 行企业，可以导入%s\n", enc, rows, name);
    else
        printf("已导入 %ld 家企业到%s（文件编码 %s）\n", rows, name, enc);
    json_decref(out);
    return rc == YQ_OK && nerr == 0 ? 0 : 1;
}
