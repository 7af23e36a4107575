/* Every list also answers ?format=xlsx (SPEC §12, §13): the same rows as
 * an Excel workbook, one column per field, with Chinese headers for the
 * common fields. Money stays integer fen (the header says so). */
#include "api/api.h"
#include "core/clock.h"
#include "core/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

static const struct {
    const char *key, *label;
} labels[] = {
    {"id", "编号"},
    {"code", "代码"},
    {"name", "名称"},
    {"username", "用户名"},
    {"display_name", "姓名/名称"},
    {"role", "角色"},
    {"county_code", "区县代码"},
    {"county_name", "区县"},
    {"uscc", "统一社会信用代码"},
    {"status", "状态代码"},
    {"status_name", "状态"},
    {"industry", "行业门类"},
    {"amount_fen", "金额（分）"},
    {"total_fen", "合同总额（分）"},
    {"base_fen", "补贴基数（分）"},
    {"funded_fen", "拨入（分）"},
    {"reserved_fen", "已占用（分）"},
    {"posted_fen", "已兑现（分）"},
    {"available_fen", "可用（分）"},
    {"paid_fen", "已拨付（分）"},
    {"list_price_fen", "标准价（分）"},
    {"discount_price_fen", "优惠价（分）"},
    {"enterprise_name", "企业"},
    {"provider_name", "云服务商"},
    {"contract_no", "合同编号"},
    {"created_at", "创建时间"},
    {"submitted_at", "提交时间"},
    {"issued_at", "发放时间"},
    {"at", "时间"},
    {"entity", "对象"},
    {"action", "操作"},
    {"actor_username", "操作人"},
    {"target_2018", "2018年目标"},
    {"reason", "原因"},
    {"kind", "类型"},
    {"service", "服务"},
    {"category", "大类"},
    {"subcategory", "小类"},
    {"unit", "单位"},
    {"waitlist_count", "候补数"},
    {"waitlist_fen", "候补金额（分）"},
    {"vouchers", "已发券数"},
    {"funded_by_source", "拨入来源（分）"},
    {"county", "县级财政"},
    {"city_award", "市级奖补"},
    {"province_award", "省级奖补"},
    {"remaining_fen", "余额（分）"},
    {"redeemed_fen", "已兑现（分）"},
    {"payee", "收款单位"},
    {"bank_name", "开户银行"},
    {"bank_account", "银行账号"},
    {"amount_yuan", "金额（元）"},
    {"voucher_code", "券号"},
    {"claim_fen", "申请金额（分）"},
    {"approved_fen", "核定金额（分）"},
    {"period", "兑现周期"},
    {"place", "排位"},
    {"issue_year", "年度"},
    {"program_name", "政策方案"},
};

static const char *label_of(const char *key)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].key, key) == 0) return labels[i].label;
    return key;
}

static void write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, json_t *v)
{
    if (json_is_integer(v))
        worksheet_write_number(ws, row, col, (double)json_integer_value(v), NULL);
    else if (json_is_string(v))
        worksheet_write_string(ws, row, col, json_string_value(v), NULL);
    else if (json_is_boolean(v))
        worksheet_write_string(ws, row, col, json_is_true(v) ? "是" : "否", NULL);
    else if (!json_is_null(v)) {
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (s) worksheet_write_string(ws, row, col, s, NULL);
        free(s);
    }
}

struct column {
    const char *key, *sub; /* sub: a member of an object value, or NULL */
};

bool api_reply_xlsx(struct request *req, json_t *list)
{
    json_t *items = json_object_get(list, "items");
    if (!json_is_array(items)) return false;
    char path[] = "/tmp/yunquan-xlsx-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return false;
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "列表") : NULL;
    if (!ws) {
        if (wb) workbook_close(wb);
        unlink(path);
        return false;
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    /* Money for people (the bank file): a *_yuan column holds fen and is
     * shown as yuan with two decimals; the division is exact to the fen. */
    lxw_format *yuan = workbook_add_format(wb);
    format_set_num_format(yuan, "0.00");
    /* Columns: the keys of the first row, in order; an object value (such
     * as funded_by_source) becomes one column per member. */
    json_t *first = json_array_get(items, 0);
    struct column cols[96];
    int ncols = 0;
    const char *key, *sub;
    json_t *v, *w;
    json_object_foreach(first, key, v)
    {
        if (json_is_object(v)) {
            json_object_foreach(v, sub, w) if (ncols < 96) cols[ncols++] =
                (struct column){key, sub};
        } else if (ncols < 96) {
            cols[ncols++] = (struct column){key, NULL};
        }
    }
    for (int c = 0; c < ncols; c++) {
        char head[128];
        if (cols[c].sub)
            snprintf(head, sizeof head, "%s·%s", label_of(cols[c].key), label_of(cols[c].sub));
        else
            snprintf(head, sizeof head, "%s", label_of(cols[c].key));
        worksheet_write_string(ws, 0, (lxw_col_t)c, head, bold);
    }
    size_t i;
    json_t *row;
    json_array_foreach(items, i, row) for (int c = 0; c < ncols; c++)
    {
        json_t *cell = json_object_get(row, cols[c].key);
        if (cols[c].sub) cell = json_object_get(cell, cols[c].sub);
        size_t klen = strlen(cols[c].key);
        if (json_is_integer(cell) && klen > 5 && strcmp(cols[c].key + klen - 5, "_yuan") == 0)
            worksheet_write_number(ws, (lxw_row_t)(i + 1), (lxw_col_t)c,
                                   (double)json_integer_value(cell) / 100.0, yuan);
        else
            write_cell(ws, (lxw_row_t)(i + 1), (lxw_col_t)c, cell);
    }
    lxw_error err = workbook_close(wb);
    bool ok = false;
    FILE *f = err == LXW_NO_ERROR ? fopen(path, "rb") : NULL;
    if (f) {
        struct buf b;
        buf_init(&b, 64 * 1024 * 1024);
        char chunk[65536];
        size_t n;
        ok = true;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            if (buf_append(&b, chunk, n) != YQ_OK) ok = false;
        fclose(f);
        if (ok) {
            http_add_header(req, "Content-Disposition", "attachment; filename=\"yunquan.xlsx\"");
            http_reply_text(req, 200,
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            b.data ? b.data : "", b.len);
        }
        buf_cleanup(&b);
    }
    unlink(path);
    return ok;
}
