/* One item's value as a cell for people (api/export.h): money in 元 from
 * exact fen, dates and instants in China time, codes by their Chinese
 * names. Shared by the xlsx and CSV writers so that both say the same. */
#include "api/export.h"
#include "core/clock.h"
#include "core/labels.h"
#include "core/roles.h"
#include "core/status.h"
#include "http/request.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CST_MS ((int64_t)CLOCK_CST_OFFSET_MIN * 60 * 1000)

static void set_text(struct export_cell *out, const char *s)
{
    out->type = s && *s ? CELL_TEXT : CELL_EMPTY;
    out->text = s;
}

static void set_own(struct export_cell *out)
{
    set_text(out, out->own);
}

/* Joins an array of strings with 、, each through `name` when given. */
static void join(json_t *arr, const char *(*name)(const char *), struct export_cell *out)
{
    size_t used = 0, i;
    json_t *v;
    out->own[0] = '\0';
    json_array_foreach(arr, i, v)
    {
        const char *s = json_string_value(v);
        if (!s) continue;
        if (name) s = name(s);
        int n = snprintf(out->own + used, sizeof out->own - used, "%s%s", used ? "、" : "", s);
        if (n < 0 || (size_t)n >= sizeof out->own - used) break;
        used += (size_t)n;
    }
    set_own(out);
}

static const char *role_label(const char *code)
{
    enum role r = role_parse(code);
    if (!r && code && strcmp(code, "operator") == 0) return "运维（命令行）"; /* actor_cli */
    return r ? role_name_zh(r) : code;
}

static void instant(json_t *v, struct export_cell *out)
{
    int64_t ms;
    if (json_is_integer(v)) { /* some stores keep epoch ms; shown to the second */
        ms = json_integer_value(v);
        ms -= ((ms % 1000) + 1000) % 1000;
    }
    else if (!json_is_string(v) || clock_parse_iso(json_string_value(v), &ms) != YQ_OK) {
        set_text(out, json_string_value(v));
        return;
    }
    out->type = CELL_INSTANT;
    out->cst_ms = ms + CST_MS;
}

void export_cell(const struct export_column *c, json_t *item, struct export_cell *out)
{
    memset(out, 0, sizeof *out);
    json_t *v = json_object_get(item, c->key);
    if (c->sub) v = json_object_get(v, c->sub);
    if ((!v || json_is_null(v)) && c->alt) v = json_object_get(item, c->alt);
    const char *s = json_string_value(v);
    if (c->kind == EX_LOCKED) {
        set_text(out, json_is_true(v) ? "已停用" : "正常");
        return;
    }
    if (c->kind == EX_LIFTED) {
        set_text(out, v && !json_is_null(v) ? "已移出" : "在列");
        return;
    }
    if (!v || json_is_null(v)) return;
    switch (c->kind) {
    case EX_MONEY:
        if (!json_is_integer(v)) break;
        out->type = CELL_MONEY;
        out->fen = json_integer_value(v);
        return;
    case EX_INT:
    case EX_SCORE:
        if (!json_is_number(v)) break;
        out->type = CELL_NUMBER;
        out->number = json_number_value(v) / (c->kind == EX_SCORE ? 100.0 : 1.0);
        return;
    case EX_DATE: {
        int32_t days;
        if (!s || clock_parse_date(s, &days) != YQ_OK) break;
        out->type = CELL_DATE;
        out->cst_ms = (int64_t)days * 86400000;
        return;
    }
    case EX_INSTANT:
        instant(v, out);
        return;
    case EX_BOOL:
        set_text(out, json_is_true(v) ? "是" : "否");
        return;
    case EX_ROLE:
        set_text(out, role_label(s));
        return;
    case EX_PROVIDER_KIND:
        set_text(out, label_provider_kind(s));
        return;
    case EX_COUNTY_KIND:
        set_text(out, label_county_kind(s));
        return;
    case EX_ENTITY:
        set_text(out, label_audit_entity(s));
        return;
    case EX_AUDIT_ACTION:
        set_text(out, label_audit_action(json_string_value(json_object_get(item, "entity")), s));
        return;
    case EX_ACTOR:
        set_text(out, s && strncmp(s, "cli:", 4) == 0 ? "系统命令行（运维）" : s);
        return;
    case EX_TRANSFER:
        set_text(out, label_transfer_kind(s));
        return;
    case EX_AWARD:
        set_text(out, label_award(s));
        return;
    case EX_PERCENT_BP:
        if (!json_is_integer(v)) break;
        out->type = CELL_PERCENT;
        out->number = (double)json_integer_value(v) / 10000.0;
        return;
    case EX_INDUSTRY:
        if (!s) break;
        snprintf(out->own, sizeof out->own, "%s %s", s, label_industry(s));
        set_own(out);
        return;
    case EX_PERIOD:
        label_period(s, out->own, sizeof out->own);
        set_own(out);
        return;
    case EX_FLAGS:
        join(v, label_priority_flag, out);
        return;
    case EX_LIST:
        join(v, NULL, out);
        return;
    default:
        break;
    }
    /* EX_TEXT, or a value not of the expected shape: shown as it is. */
    if (json_is_integer(v)) {
        snprintf(out->own, sizeof out->own, "%" PRId64, (int64_t)json_integer_value(v));
        set_own(out);
    } else if (json_is_boolean(v)) {
        set_text(out, json_is_true(v) ? "是" : "否");
    } else {
        set_text(out, s);
    }
}

/* Writes v as `digits` decimal digits (zero-padded) at p; returns the end. */
static char *put_digits(char *p, unsigned v, int digits)
{
    for (int i = digits - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + digits;
}

/* The instants of years 1970 to 9999 (all of ours) are formatted by hand:
 * an export has a few of them per row, and snprintf was a tenth of its
 * time. */
#define FAST_MS_END INT64_C(253402300800000) /* 10000-01-01 */

static void format_ms(int64_t cst_ms, bool with_time, char *out, size_t n)
{
    int64_t days = cst_ms >= 0 ? cst_ms / 86400000 : -((-cst_ms + 86399999) / 86400000);
    int64_t secs = (cst_ms - days * 86400000) / 1000;
    int y;
    unsigned m, d;
    clock_civil_from_days((int32_t)days, &y, &m, &d);
    if (cst_ms >= 0 && cst_ms < FAST_MS_END && n >= 20) {
        char *p = put_digits(out, (unsigned)y, 4);
        *p++ = '-';
        p = put_digits(p, m, 2);
        *p++ = '-';
        p = put_digits(p, d, 2);
        if (with_time) {
            *p++ = ' ';
            p = put_digits(p, (unsigned)(secs / 3600), 2);
            *p++ = ':';
            p = put_digits(p, (unsigned)(secs / 60 % 60), 2);
            *p++ = ':';
            p = put_digits(p, (unsigned)(secs % 60), 2);
        }
        *p = '\0';
    } else if (with_time)
        snprintf(out, n, "%04d-%02u-%02u %02d:%02d:%02d", y, m, d, (int)(secs / 3600),
                 (int)(secs / 60 % 60), (int)(secs % 60));
    else
        snprintf(out, n, "%04d-%02u-%02u", y, m, d);
}

/* "-1234.50" from fen, exactly (integer 元 and 分, never a double). */
void export_fen_text(int64_t fen, char *out, size_t n)
{
    uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char tmp[32], *p = tmp + sizeof tmp;
    *--p = '\0';
    *--p = (char)('0' + a % 10);
    *--p = (char)('0' + a / 10 % 10);
    *--p = '.';
    uint64_t yuan = a / 100;
    do {
        *--p = (char)('0' + yuan % 10);
        yuan /= 10;
    } while (yuan);
    if (fen < 0) *--p = '-';
    snprintf(out, n, "%s", p);
}

const char *export_cell_text(const struct export_cell *cell, char *out, size_t n)
{
    out[0] = '\0';
    switch (cell->type) {
    case CELL_EMPTY:
        break;
    case CELL_TEXT: {
        size_t len = strlen(cell->text);
        if (len >= n) len = n - 1;
        memcpy(out, cell->text, len);
        out[len] = '\0';
        break;
    }
    case CELL_NUMBER:
        if (cell->number == (double)(int64_t)cell->number)
            snprintf(out, n, "%" PRId64, (int64_t)cell->number);
        else
            snprintf(out, n, "%.2f", cell->number);
        break;
    case CELL_PERCENT:
        snprintf(out, n, "%.2f%%", cell->number * 100.0);
        break;
    case CELL_MONEY:
        export_fen_text(cell->fen, out, n);
        break;
    case CELL_DATE:
        format_ms(cell->cst_ms, false, out, n);
        break;
    case CELL_INSTANT:
        format_ms(cell->cst_ms, true, out, n);
        break;
    }
    return out;
}

size_t export_cell_width(const struct export_cell *cell)
{
    switch (cell->type) {
    case CELL_EMPTY:
        return 0;
    case CELL_TEXT:
        return export_text_width(cell->text);
    case CELL_DATE:
    case CELL_INSTANT:
        if (cell->cst_ms >= 0 && cell->cst_ms < FAST_MS_END)
            return cell->type == CELL_DATE ? 10 : 19;
        break;
    default:
        break;
    }
    char text[64];
    return export_text_width(export_cell_text(cell, text, sizeof text));
}

size_t export_text_width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if (*p < 0x80)
            w++;
        else if (*p >= 0xE0)
            w += 2; /* a CJK character (3 bytes in UTF-8) is two columns wide */
        else if (*p >= 0xC0)
            w++;
    }
    return w;
}

void export_file_name(const char *title, const char *ext, char *out, size_t n)
{
    char day[16];
    format_ms(clock_now_ms() + CST_MS, false, day, sizeof day);
    snprintf(out, n, "%s-%s.%s", title, day, ext);
}
