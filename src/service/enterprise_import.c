/* Enterprise import (issue 10). The file is read into rows first (no
 * database); then, inside one transaction, every row is checked against
 * the field rules, the file itself and the database, and only when no row
 * has an error are they written. The preview runs the same checks in a
 * read transaction. */
#include "service/enterprise_import.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/encoding.h"
#include "core/import_columns.h"
#include "core/mem.h"
#include "core/status.h"
#include "core/uscc.h"
#include "service/parties.h"
#include "service/party_fields.h"
#include "service/tx.h"
#include "store/audit.h"
#include "store/id.h"
#include "store/parties.h"
#include "store/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct import_row {
    long line;
    char *cell[IMPORT_NCOLUMNS]; /* trimmed; NULL when the file has no such column */
    json_t *columns;             /* the enterprise row to write, once checked */
    char uscc[USCC_LEN + 1];
};

struct sheet {
    enum text_encoding enc;
    struct import_row *rows;
    size_t nrows;
    json_t *errors;     /* the file's, then the rows' */
    size_t file_errors; /* how many are the file's */
    bool undecoded;     /* neither UTF-8 nor GBK */
};

static void add_error(json_t *errors, long line, int column, const char *code, const char *message)
{
    json_array_append_new(errors,
                          json_pack("{s:I, s:s, s:s, s:s, s:s}", "line", (json_int_t)line, "column",
                                    column >= 0 ? import_columns[column].header : "", "field",
                                    column >= 0 ? import_columns[column].field : "", "code", code,
                                    "message", message));
}

static void sheet_cleanup(struct sheet *s)
{
    for (size_t i = 0; i < s->nrows; i++) {
        for (int c = 0; c < IMPORT_NCOLUMNS; c++)
            free(s->rows[i].cell[c]);
        json_decref(s->rows[i].columns);
    }
    free(s->rows);
    json_decref(s->errors);
}

/* The header row: every cell must name a column, once; every required
 * column must be there. Fills col_of (file column → enum, -1 none). */
static void read_header(const struct csv_row *row, int col_of[CSV_MAX_FIELDS], json_t *errors)
{
    bool seen[IMPORT_NCOLUMNS] = {false};
    char msg[256];
    for (int i = 0; i < row->n; i++) {
        col_of[i] = -1;
        char h[CSV_MAX_FIELD + 1];
        snprintf(h, sizeof h, "%s", row->f[i]);
        import_trim(h);
        if (!h[0]) continue; /* an empty trailing column Excel leaves */
        int c = import_column_find(h);
        if (c < 0) {
            snprintf(msg, sizeof msg, "未知的列：“%.100s”（请使用模板中的列名）", h);
            json_array_append_new(errors, json_pack("{s:I, s:s, s:s, s:s, s:s}", "line",
                                                    (json_int_t)row->line, "column", h, "field", "",
                                                    "code", "unknown_column", "message", msg));
            continue;
        }
        if (seen[c]) {
            snprintf(msg, sizeof msg, "列“%s”出现了两次", import_columns[c].header);
            add_error(errors, row->line, c, "duplicate_column", msg);
            continue;
        }
        seen[c] = true;
        col_of[i] = c;
    }
    for (int c = 0; c < IMPORT_NCOLUMNS; c++)
        if (import_columns[c].required && !seen[c]) {
            snprintf(msg, sizeof msg, "缺少必填列“%s”", import_columns[c].header);
            add_error(errors, row->line, c, "missing_column", msg);
        }
}

/* Whether every cell of a row is blank (Excel leaves ",,,," rows). */
static bool blank_row(const struct csv_row *row)
{
    for (int i = 0; i < row->n; i++) {
        char v[CSV_MAX_FIELD + 1];
        snprintf(v, sizeof v, "%s", row->f[i]);
        if (import_trim(v)[0]) return false;
    }
    return true;
}

/* Decodes and splits the file. YQ_OK (problems of the file itself are in
 * s->errors) or YQ_ELIMIT with p. */
static int read_sheet(const char *data, size_t len, struct sheet *s, struct problem *p)
{
    memset(s, 0, sizeof *s);
    s->errors = json_array();
    if (len > IMPORT_MAX_BYTES)
        return problem_set(p, YQ_ELIMIT, "file_too_large", "file",
                           "文件不能超过 1 MiB，请分成几个文件导入");
    char *text = NULL;
    size_t text_len = 0;
    struct problem enc;
    problem_clear(&enc);
    if (encoding_to_utf8("file", data, len, &text, &text_len, &s->enc, &enc) != YQ_OK) {
        long line = 1; /* the whole file: its first line */
        const char *at = strstr(enc.message, "第 ");
        if (at) line = strtol(at + strlen("第 "), NULL, 10);
        add_error(s->errors, line, -1, enc.code, enc.message);
        s->file_errors = 1;
        s->undecoded = true;
        return YQ_OK;
    }
    struct csv_reader r;
    struct csv_row row;
    csv_init(&r, text, text_len);
    int col_of[CSV_MAX_FIELDS];
    int got = csv_next(&r, &row);
    if (got == 1)
        read_header(&row, col_of, s->errors);
    else if (got == 0)
        add_error(s->errors, 1, -1, "empty_file", "文件是空的：第 1 行应为列名");
    size_t cap = 0;
    int rc = YQ_OK;
    while (got == 1 && json_array_size(s->errors) == 0 && (got = csv_next(&r, &row)) == 1) {
        if (blank_row(&row)) continue;
        if (s->nrows >= IMPORT_MAX_ROWS) {
            rc = problem_set(p, YQ_ELIMIT, "too_many_rows", "file",
                             "一次最多导入 %d 行企业，请分成几个文件导入", IMPORT_MAX_ROWS);
            break;
        }
        if (s->nrows == cap) {
            cap = cap ? cap * 2 : 64;
            s->rows = yq_realloc(s->rows, cap * sizeof *s->rows);
        }
        struct import_row *ir = &s->rows[s->nrows++];
        memset(ir, 0, sizeof *ir);
        ir->line = row.line;
        for (int i = 0; i < row.n; i++) {
            if (col_of[i] < 0) continue;
            char *v = yq_strdup(row.f[i]);
            ir->cell[col_of[i]] = import_trim(v);
        }
        for (int c = 0; c < IMPORT_NCOLUMNS; c++)
            if (!ir->cell[c]) ir->cell[c] = yq_strdup("");
    }
    if (got < 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "第 %ld 行不是有效的 CSV：引号未闭合、引号位置不对或单元格过长",
                 row.line);
        add_error(s->errors, row.line, -1, "bad_csv", msg);
    }
    csv_cleanup(&r);
    free(text);
    s->file_errors = json_array_size(s->errors);
    return rc;
}

struct check {
    struct db *db;
    const struct actor *a;
    const struct import_request *rq;
    struct sheet *sheet;
    json_t *county; /* {code, name, kind, code_is_official} */
    char city_prefix[8];
    json_t *seen; /* uscc → first line */
    json_t *out;  /* the answer */
    long step, steps;
};

static void progress(struct check *k)
{
    k->step++;
    if (k->rq->progress) k->rq->progress(k->rq->progress_ctx, k->step, k->steps);
}

/* The column a problem of party_fields names, by its field ("phone",
 * "certificate.valid_from"), or `fallback`. */
static int column_of_field(const char *field, int fallback)
{
    for (int c = 0; c < IMPORT_NCOLUMNS; c++)
        if (strcmp(import_columns[c].field, field) == 0) return c;
    return fallback;
}

/* Checks one profile field with the rules of PATCH /enterprises/{id};
 * adds the column to ir->columns or an error. Steals v. */
static void check_field(struct check *k, struct import_row *ir, int column, const char *key,
                        json_t *v)
{
    json_t *one = json_object();
    json_object_set_new(one, key, v);
    struct problem p;
    problem_clear(&p);
    if (party_fields_check(PARTY_ENTERPRISE, one, ir->columns, &p) != YQ_OK)
        add_error(k->sheet->errors, ir->line, column_of_field(p.field, column), p.code, p.message);
    json_decref(one);
}

/* Splits a list cell on 、,，;； into a JSON array of trimmed items. */
static json_t *split_list(const char *cell)
{
    json_t *items = json_array();
    char *copy = yq_strdup(cell), *start = copy;
    static const char *const seps[] = {"、", "，", "；", ",", ";"};
    for (char *c = copy;;) {
        size_t sep = 0;
        for (size_t i = 0; i < sizeof seps / sizeof seps[0] && !sep; i++)
            if (strncmp(c, seps[i], strlen(seps[i])) == 0) sep = strlen(seps[i]);
        if (sep || !*c) {
            bool end = !*c;
            *c = '\0';
            if (import_trim(start)[0]) json_array_append_new(items, json_string(start));
            if (end) break;
            c += sep;
            start = c;
        } else {
            c++;
        }
    }
    free(copy);
    return items;
}

/* The profile cells. YQ_OK (errors recorded) or a database failure. */
static int check_profile(struct check *k, struct import_row *ir)
{
    char msg[320];
    json_t *errors = k->sheet->errors;
    for (int c = 0; c < IMPORT_NCOLUMNS; c++)
        if (import_columns[c].required && !ir->cell[c][0]) {
            snprintf(msg, sizeof msg, "请填写%s", import_columns[c].header);
            add_error(errors, ir->line, c, "missing_field", msg);
        }
    static const int texts[] = {IMPORT_NAME, IMPORT_LEGAL_REP, IMPORT_ADDRESS, IMPORT_PHONE,
                                IMPORT_EMAIL};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (ir->cell[texts[i]][0])
            check_field(k, ir, texts[i], import_columns[texts[i]].field,
                        json_string(ir->cell[texts[i]]));
    const char *ilp = ir->cell[IMPORT_INDEPENDENT];
    int yes = import_parse_yes_no(ilp);
    if (ilp[0] && yes < 0)
        add_error(errors, ir->line, IMPORT_INDEPENDENT, "invalid_field",
                  "是否独立法人须填写“是”或“否”");
    else if (yes == 0)
        add_error(errors, ir->line, IMPORT_INDEPENDENT, "not_independent_legal_person",
                  "申领企业须具有独立法人资格");
    else if (yes == 1)
        check_field(k, ir, IMPORT_INDEPENDENT, "independent_legal_person", json_true());
    const char *ind = ir->cell[IMPORT_INDUSTRY];
    char letter[2] = {import_industry_letter(ind), '\0'};
    if (ind[0]) check_field(k, ir, IMPORT_INDUSTRY, "industry", json_string(letter));
    const char *emp = ir->cell[IMPORT_EMPLOYEES];
    int64_t n;
    if (emp[0] && !import_parse_count(emp, &n))
        add_error(errors, ir->line, IMPORT_EMPLOYEES, "invalid_field",
                  "员工人数须为 0 至 10000000 的整数");
    else if (emp[0])
        check_field(k, ir, IMPORT_EMPLOYEES, "employees", json_integer(n));
    if (ir->cell[IMPORT_TAGS][0]) {
        json_t *tags = split_list(ir->cell[IMPORT_TAGS]);
        struct problem p;
        problem_clear(&p);
        int rc = party_fields_check_tags(k->db, tags, &p);
        if (rc == YQ_ERR) {
            json_decref(tags);
            return rc;
        }
        if (rc != YQ_OK)
            add_error(errors, ir->line, IMPORT_TAGS, p.code, p.message);
        else
            check_field(k, ir, IMPORT_TAGS, "key_industry_tags", json_incref(tags));
        json_decref(tags);
    }
    if (ir->cell[IMPORT_FLAGS][0]) {
        json_t *flags = split_list(ir->cell[IMPORT_FLAGS]), *codes = json_array();
        size_t i;
        json_t *f;
        json_array_foreach(flags, i, f)
        {
            const char *code = import_flag_code(json_string_value(f));
            if (code) {
                json_array_append_new(codes, json_string(code));
                continue;
            }
            snprintf(msg, sizeof msg,
                     "优先支持类别无效：%.60s（可填 科技型、创新型、高成长型、专精特新、试点示范）",
                     json_string_value(f));
            add_error(errors, ir->line, IMPORT_FLAGS, "invalid_field", msg);
        }
        json_decref(flags);
        check_field(k, ir, IMPORT_FLAGS, "priority_flags", codes);
    }
    bool any_cert = false;
    for (int c = IMPORT_CERT_NO; c <= IMPORT_CERT_UNTIL; c++)
        if (ir->cell[c][0]) any_cert = true;
    if (any_cert)
        check_field(k, ir, IMPORT_CERT_NO, "certificate",
                    json_pack("{s:s, s:s, s:s, s:s}", "no", ir->cell[IMPORT_CERT_NO], "issuer",
                              ir->cell[IMPORT_CERT_ISSUER], "valid_from",
                              ir->cell[IMPORT_CERT_FROM], "valid_until",
                              ir->cell[IMPORT_CERT_UNTIL]));
    return YQ_OK;
}

/* The username of an imported enterprise's account: its USCC in lower
 * case (usernames are lower case). */
static void account_name(const char *uscc, char out[USCC_LEN + 1])
{
    for (int i = 0; i <= USCC_LEN; i++)
        out[i] = (char)(uscc[i] >= 'A' && uscc[i] <= 'Z' ? uscc[i] - 'A' + 'a' : uscc[i]);
}

/* The USCC: its form, the file, the registry, the negative list, the
 * county. YQ_OK (errors recorded) or a database failure. */
static int check_uscc(struct check *k, struct import_row *ir)
{
    char msg[320];
    json_t *errors = k->sheet->errors;
    const char *cell = ir->cell[IMPORT_USCC];
    if (!cell[0]) return YQ_OK; /* reported as missing */
    if (import_looks_scientific(cell)) {
        add_error(errors, ir->line, IMPORT_USCC, "bad_uscc",
                  "统一社会信用代码被 Excel 显示成了科学计数法，请把该列设为“文本”格式后重新填写");
        return YQ_OK;
    }
    struct problem p;
    problem_clear(&p);
    if (uscc_validate("uscc", cell, ir->uscc, &p) != YQ_OK) {
        add_error(errors, ir->line, IMPORT_USCC, "bad_uscc", p.message);
        ir->uscc[0] = '\0';
        return YQ_OK;
    }
    json_t *first = json_object_get(k->seen, ir->uscc);
    if (first) {
        snprintf(msg, sizeof msg, "统一社会信用代码与第 %" JSON_INTEGER_FORMAT " 行重复",
                 json_integer_value(first));
        add_error(errors, ir->line, IMPORT_USCC, "duplicate_in_file", msg);
        return YQ_OK;
    }
    json_object_set_new(k->seen, ir->uscc, json_integer(ir->line));
    const char *holder = NULL;
    int rc = parties_uscc_holder(k->db, ir->uscc, NULL, &holder);
    if (rc != YQ_OK) return rc;
    if (holder) {
        snprintf(msg, sizeof msg, "该统一社会信用代码已注册（%s）",
                 strcmp(holder, "enterprise") == 0 ? "企业" : "云服务商");
        add_error(errors, ir->line, IMPORT_USCC, "already_registered", msg);
    }
    json_t *listed = NULL;
    rc = negative_list_find_active(k->db, ir->uscc, &listed);
    json_decref(listed);
    if (rc == YQ_OK)
        add_error(errors, ir->line, IMPORT_USCC, "negative_listed",
                  "该企业在信用负面清单上，不能导入");
    else if (rc != YQ_ENOTFOUND)
        return rc;
    const char *county = json_string_value(json_object_get(k->county, "code"));
    bool official = json_integer_value(json_object_get(k->county, "code_is_official")) != 0;
    if (!import_division_ok(ir->uscc, county, official, k->city_prefix)) {
        snprintf(msg, sizeof msg,
                 "统一社会信用代码第 3–8 位的登记机关行政区划码 %.6s 不属于%s（%s）", ir->uscc + 2,
                 json_string_value(json_object_get(k->county, "name")), county);
        add_error(errors, ir->line, IMPORT_USCC, "division_outside_county", msg);
    }
    /* The account is named by the code: no one else may hold the name. */
    char username[USCC_LEN + 1];
    account_name(ir->uscc, username);
    struct user u;
    rc = users_get_by_username(k->db, username, &u);
    if (rc == YQ_OK && !holder) {
        snprintf(msg, sizeof msg, "账号名 %s 已被其他账号占用，请联系系统管理员", username);
        add_error(errors, ir->line, IMPORT_USCC, "account_exists", msg);
    } else if (rc != YQ_OK && rc != YQ_ENOTFOUND) {
        return rc;
    }
    return YQ_OK;
}

/* Copies at most 64 characters of UTF-8 (an account's display name). */
static void copy_chars(char *dst, size_t size, const char *src, int max_chars)
{
    size_t i = 0;
    int chars = 0;
    while (src[i] && chars < max_chars) {
        size_t n = 1;
        while ((src[i + n] & 0xC0) == 0x80)
            n++;
        if (i + n >= size) break;
        i += n;
        chars++;
    }
    memcpy(dst, src, i);
    dst[i] = '\0';
}

/* Writes one checked row: its locked account and the approved enterprise. */
static int write_row(struct check *k, struct import_row *ir, int64_t now)
{
    struct user u;
    memset(&u, 0, sizeof u);
    id_new(u.id);
    account_name(ir->uscc, u.username);
    /* No password can match "!": the account waits for the administrator
     * to hand it over (set a password, unlock). */
    snprintf(u.password_hash, sizeof u.password_hash, "!");
    snprintf(u.role, sizeof u.role, "enterprise");
    copy_chars(u.display_name, sizeof u.display_name, ir->cell[IMPORT_NAME], 64);
    snprintf(u.county_code, sizeof u.county_code, "%s", k->rq->county_code);
    u.locked = true;
    u.created_at = u.updated_at = now;
    int rc = users_insert(k->db, &u);
    if (rc != YQ_OK) return rc;
    char id[ID_LEN + 1];
    id_new(id);
    json_t *c = ir->columns;
    json_object_set_new(c, "id", json_string(id));
    json_object_set_new(c, "user_id", json_string(u.id));
    json_object_set_new(c, "uscc", json_string(ir->uscc));
    json_object_set_new(c, "county_code", json_string(k->rq->county_code));
    json_object_set_new(c, "status", json_string("approved"));
    json_object_set_new(c, "submitted_at", json_integer(now));
    json_object_set_new(c, "reviewed_at", json_integer(now));
    json_object_set_new(c, "reviewed_by", json_string(k->a->user.username));
    json_object_set_new(c, "created_at", json_integer(now));
    json_object_set_new(c, "updated_at", json_integer(now));
    return enterprises_insert(k->db, c);
}

static int check_and_write(struct db *db, void *ctx, struct problem *p)
{
    struct check *k = ctx;
    k->db = db;
    struct sheet *s = k->sheet;
    /* A retried transaction starts over. */
    json_decref(k->county);
    json_decref(k->seen);
    json_decref(k->out);
    k->county = k->seen = k->out = NULL;
    while (json_array_size(s->errors) > s->file_errors)
        json_array_remove(s->errors, json_array_size(s->errors) - 1);
    int rc = counties_get(db, k->rq->county_code, &k->county);
    if (rc == YQ_ENOTFOUND)
        return problem_set(p, YQ_EINVAL, "invalid_field", "county_code", "区县代码不存在：%s",
                           k->rq->county_code);
    if (rc != YQ_OK || (rc = parties_city_prefix(db, k->city_prefix)) != YQ_OK)
        return problem_db_error(p);
    k->seen = json_object();
    k->step = 0;
    k->steps = (long)s->nrows * (k->rq->commit ? 2 : 1);
    for (size_t i = 0; i < s->nrows; i++) {
        struct import_row *ir = &s->rows[i];
        json_decref(ir->columns);
        ir->columns = json_object();
        if ((rc = check_profile(k, ir)) != YQ_OK || (rc = check_uscc(k, ir)) != YQ_OK)
            return problem_db_error(p);
        progress(k);
    }
    size_t nerrors = json_array_size(s->errors);
    k->out = json_pack("{s:s, s:s, s:s, s:I, s:O, s:b}", "county_code", k->rq->county_code,
                       "county_name", json_string_value(json_object_get(k->county, "name")),
                       "encoding", s->undecoded ? "未能识别" : encoding_name(s->enc), "rows",
                       (json_int_t)s->nrows, "errors", s->errors, "committed", 0);
    if (!k->rq->commit) return YQ_OK;
    if (nerrors > 0)
        return problem_set(p, YQ_EINVAL, "import_has_errors", "file",
                           "文件中有 %zu 处错误，未导入任何企业；请改正后重新导入", nerrors);
    if (s->nrows == 0)
        return problem_set(p, YQ_EINVAL, "import_empty", "file", "文件中没有企业数据");
    int64_t now = clock_now_ms();
    json_t *usccs = json_array();
    for (size_t i = 0; i < s->nrows && rc == YQ_OK; i++) {
        rc = write_row(k, &s->rows[i], now);
        json_array_append_new(usccs, json_string(s->rows[i].uscc));
        progress(k);
    }
    if (rc == YQ_ECONFLICT) {
        json_decref(usccs);
        return problem_set(p, YQ_ECONFLICT, "conflict", "file",
                           "导入时数据已变化（统一社会信用代码或账号名已被占用），请重新预览");
    }
    char import_id[ID_LEN + 1];
    id_new(import_id);
    struct audit_actor who = actor_audit(k->a);
    json_t *after = json_pack("{s:s, s:s, s:I, s:o}", "county_code", k->rq->county_code, "encoding",
                              encoding_name(s->enc), "rows", (json_int_t)s->nrows, "usccs", usccs);
    if (rc == YQ_OK)
        rc = audit_append(db, &who, "enterprise_import", import_id, "import", NULL, after);
    json_decref(after);
    if (rc != YQ_OK) return problem_db_error(p);
    json_object_set_new(k->out, "committed", json_true());
    return YQ_OK;
}

int enterprise_import(struct db *db, const struct actor *a, const struct import_request *rq,
                      json_t **out, struct problem *p)
{
    *out = NULL;
    if (!rq->county_code || !rq->county_code[0])
        return problem_set(p, YQ_EINVAL, "missing_field", "county_code", "请指定导入到哪个区县");
    if (!actor_in_county(a, rq->county_code))
        return problem_set(p, YQ_EFORBIDDEN, "forbidden_county", "county_code",
                           "只能导入本县（市、区）的企业");
    struct sheet s;
    int rc = read_sheet(rq->data, rq->len, &s, p);
    if (rc != YQ_OK) {
        sheet_cleanup(&s);
        return rc;
    }
    struct check k = {.a = a, .rq = rq, .sheet = &s};
    rc = rq->commit ? service_tx(db, check_and_write, &k, p)
                    : service_read(db, check_and_write, &k, p);
    json_decref(k.county);
    json_decref(k.seen);
    if (rc == YQ_OK || (k.out && strcmp(p->code, "import_has_errors") == 0))
        *out = k.out;
    else
        json_decref(k.out);
    sheet_cleanup(&s);
    return rc;
}

char *enterprise_import_template(size_t *len)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    buf_puts(&b, "\xEF\xBB\xBF");
    for (int c = 0; c < IMPORT_NCOLUMNS; c++) {
        if (c) buf_puts(&b, ",");
        buf_puts(&b, import_columns[c].header);
    }
    buf_puts(&b, "\r\n");
    *len = b.len;
    return buf_steal(&b);
}
