/* Voucher reads: lists, the voucher with its calculation trace, the public
 * verification view (masked holder), the waitlist, the QR code; and the
 * expiry job. */
#include "core/clock.h"
#include "core/contract_state.h"
#include "core/period.h"
#include "core/status.h"
#include "core/validate.h"
#include "core/voucher_code.h"
#include "service/programs.h"
#include "service/vouchers.h"
#include "service/scope.h"
#include "service/stream.h"
#include "service/tx.h"
#include "store/redemptions.h"
#include "store/rows.h"
#include "store/vouchers.h"
#include "store/waitlist.h"

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A voucher's or a waitlist entry's status, in Chinese (the core's labels). */
static const char *status_zh(const char *s)
{
    enum voucher_state v;
    if (voucher_state_parse(s, &v) == YQ_OK) return voucher_state_label_zh(v);
    int w = waitlist_state_parse(s);
    return w >= 0 ? waitlist_state_label((enum waitlist_state)w) : s;
}

/* An exported item: its status's name and what is left. Its instants stay
 * epoch milliseconds, which the export turns into Excel dates directly
 * (formatting 200,000 ISO strings to parse them back cost a tenth of a
 * 100,000-row export). */
static void decorate_export(json_t *v)
{
    json_object_set_new(v, "status_name", json_string(status_zh(rows_str(v, "status"))));
    int64_t amount = json_integer_value(json_object_get(v, "amount_fen"));
    int64_t redeemed = json_integer_value(json_object_get(v, "redeemed_fen"));
    int64_t clawed = json_integer_value(json_object_get(v, "clawed_back_fen"));
    bool live = strcmp(rows_str(v, "status"), "issued") == 0 ||
                strcmp(rows_str(v, "status"), "partially_redeemed") == 0;
    json_object_set_new(v, "remaining_fen", json_integer(live ? amount - redeemed - clawed : 0));
}

/* A listed item: the same, instants as ISO text for the API. */
static void decorate(json_t *v)
{
    decorate_export(v);
    rows_instants(v, "issued_at", "closed_at", NULL);
}

json_t *vouchers_list(struct db *db, const struct actor *a, const struct list_filter *f,
                      int64_t offset, int64_t limit, struct problem *p)
{
    struct row_scope scope;
    const char *one;
    actor_row_scope(a, &scope, &one);
    service_stream_map(decorate_export); /* an export's streamed items */
    json_t *r = vouchers_page(db, &scope, f, offset, limit);
    if (!r) {
        problem_db_error(p);
        return NULL;
    }
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(r, "items"), i, v) decorate(v);
    return r;
}

json_t *vouchers_read(struct db *db, const struct actor *a, const char *id, struct problem *p)
{
    struct row_scope scope;
    const char *one;
    actor_row_scope(a, &scope, &one);
    json_t *v = NULL;
    int rc = voucher_view(db, &scope, id, &v);
    if (rc == YQ_ENOTFOUND) {
        problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "云服务券不存在");
        return NULL;
    }
    if (rc != YQ_OK) {
        problem_db_error(p);
        return NULL;
    }
    json_t *trace = json_loads(rows_str(v, "calc_json"), 0, NULL);
    json_object_set_new(v, "trace", trace ? trace : json_null());
    json_object_del(v, "calc_json");
    /* The holder's and officials' view carries the QR link's token. */
    decorate(v);
    return v;
}

/* 济宁示范制造有限公司 → 济宁****有限公司: names of more than six
 * characters keep the first two and the last four; shorter ones keep the
 * first and the last; every other character becomes a star. */
static void mask_name(const char *name, char *out, size_t cap)
{
    long n = utf8_length(name);
    if (n < 0) n = 0;
    long keep_head = n > 6 ? 2 : 1, keep_tail = n > 6 ? 4 : (n > 2 ? 1 : 0);
    size_t j = 0;
    long k = 0;
    const unsigned char *s = (const unsigned char *)name;
    while (*s && j + 5 < cap) {
        int len = *s < 0x80 ? 1 : (*s & 0xe0) == 0xc0 ? 2 : (*s & 0xf0) == 0xe0 ? 3 : 4;
        if (k < keep_head || k >= n - keep_tail) {
            memcpy(out + j, s, (size_t)len);
            j += (size_t)len;
        } else if (k == keep_head || k < n - keep_tail) {
            out[j++] = '*';
        }
        s += len;
        k++;
    }
    out[j] = '\0';
}

/* A code typed without the QR's token costs one hit of the address's
 * hourly allowance. */
struct verify_hit {
    const char *addr;
    int64_t hits;
};

static int verify_throttle(struct db *db, void *ctx, struct problem *p)
{
    struct verify_hit *h = ctx;
    char key[128];
    snprintf(key, sizeof key, "verify:%s", h->addr);
    (void)p;
    return public_throttle_hit(db, key, clock_now_ms(), 3600LL * 1000, &h->hits);
}

int vouchers_public(struct db *db, struct db *read, const char *code_in, const char *token,
                    const char *client_addr, struct voucher_public_answer *out, struct problem *p)
{
    memset(out, 0, sizeof *out);
    if (!voucher_code_valid(code_in))
        return problem_set(p, YQ_ENOTFOUND, "invalid_code", "code",
                           "券号格式或校验位不正确，请核对后重试（格式如 YQ2018-370811-000123-K）");
    char code[VOUCHER_CODE_LEN + 1];
    for (int i = 0; i <= VOUCHER_CODE_LEN; i++)
        code[i] = (char)(code_in[i] >= 'a' && code_in[i] <= 'z' ? code_in[i] - 32 : code_in[i]);
    struct voucher_public *v = &out->v;
    int rc = voucher_public_get(read, code, v);
    if (rc != YQ_OK && rc != YQ_ENOTFOUND) return problem_db_error(p);
    out->by_qr = rc == YQ_OK && token && token[0] && strcmp(token, v->verify_token) == 0;
    if (!out->by_qr) {
        struct verify_hit h = {client_addr ? client_addr : "", 0};
        int trc = service_tx(db, verify_throttle, &h, p);
        if (trc != YQ_OK) return trc;
        if (h.hits > VERIFY_PER_HOUR) {
            problem_set(p, YQ_ELIMIT, "too_many_lookups", NULL,
                        "同一地址一小时内最多按券号核验 %d 次；扫描券面二维码核验不受此限制",
                        VERIFY_PER_HOUR);
            p->retry_after = 3600;
            return YQ_ELIMIT;
        }
    }
    if (rc == YQ_ENOTFOUND)
        return problem_set(p, YQ_ENOTFOUND, "not_found", "code", "没有这张云服务券：%s", code);
    memset(v->verify_token, 0, sizeof v->verify_token);
    char masked[sizeof v->holder];
    mask_name(v->holder, masked, sizeof masked);
    memcpy(v->holder, masked, sizeof masked);
    out->remaining_fen =
        voucher_state_live(v->state) ? v->amount_fen - v->redeemed_fen - v->clawed_back_fen : 0;
    return YQ_OK;
}

json_t *vouchers_waitlist(struct db *db, const struct actor *a, const struct list_filter *f,
                          int year, int64_t offset, int64_t limit, struct problem *p)
{
    if (!(a->role & (ROLE_COUNTY_SCOPED | ROLE_CITY_WIDE))) {
        problem_set(p, YQ_EFORBIDDEN, "forbidden", NULL, "无权查看候补队列");
        return NULL;
    }
    struct row_scope scope;
    const char *one;
    actor_row_scope(a, &scope, &one);
    json_t *r = waitlist_page(db, &scope, f, year, offset, limit);
    if (!r) {
        problem_db_error(p);
        return NULL;
    }
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(r, "items"), i, v)
    {
        json_object_set_new(v, "status_name", json_string(status_zh(rows_str(v, "status"))));
        rows_instants(v, "confirmed_at", NULL);
    }
    return r;
}

char *vouchers_qr_svg(struct db *db, const struct actor *a, const char *id,
                      const char *public_base_url, struct problem *p)
{
    json_t *v = vouchers_read(db, a, id, p);
    if (!v) return NULL;
    char url[512];
    snprintf(url, sizeof url, "%s/verify/%s?t=%s", public_base_url, rows_str(v, "code"),
             rows_str(v, "verify_token"));
    json_decref(v);
    QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) {
        problem_set(p, YQ_ERR, "internal", NULL, "二维码生成失败");
        return NULL;
    }
    int w = qr->width, margin = 4, size = w + 2 * margin;
    struct buf b;
    buf_init(&b, 4 * 1024 * 1024);
    buf_printf(&b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\""
               " height=\"%d\" shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\""
               " fill=\"#fff\"/><path fill=\"#000\" d=\"",
               size, size, size * 6, size * 6, size, size);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++)
            if (qr->data[y * w + x] & 1) buf_printf(&b, "M%d %dh1v1h-1z", x + margin, y + margin);
    buf_puts(&b, "\"/></svg>\n");
    QRcode_free(qr);
    return buf_steal(&b);
}

/* One voucher's expiry, decided inside its own transaction on what it
 * holds now: a termination committed since the due list was read wins. */
struct expire_one {
    const struct actor *actor;
    const char *id;
    const char *cutoff;
    bool expired;
};

/* Whether the filing window of the half-year in which the voucher's service
 * ended has closed (a provider claims a half-year's service only in its
 * window, which may open after the grace is over). On false, *rc says
 * whether that was an answer (YQ_OK) or an error. */
static bool last_window_closed(struct db *db, const struct voucher *v, struct problem *p, int *rc)
{
    struct program_params params;
    int version;
    int32_t end;
    struct period per;
    enum period_window_place place;
    *rc = programs_load_params(db, v->program_id, &params, &version, p);
    if (*rc != YQ_OK) return false;
    if (clock_parse_date(v->service_end, &end) != YQ_OK || period_of_day(end, &per) != YQ_OK ||
        period_window_place(per, params.redemption_window_days,
                            (int32_t)clock_cst_day(clock_now_ms()), &place) != YQ_OK)
        return true; /* no window to wait for */
    return place == PERIOD_WINDOW_AFTER;
}

static int expire_one(struct db *db, void *ctx, struct problem *p)
{
    struct expire_one *e = ctx;
    struct voucher v;
    int rc = voucher_get(db, e->id, &v);
    if (rc != YQ_OK) return rc;
    if (!voucher_state_live(v.state) || strcmp(v.service_end, e->cutoff) >= 0)
        return YQ_OK; /* no longer due */
    bool claimed;
    if ((rc = redemption_filed_claim_exists(db, v.id, &claimed)) != YQ_OK) return rc;
    if (claimed) return YQ_OK; /* a claim was filed since: not "nothing claimed" */
    /* Issued or partly redeemed: the provider may still claim the service
     * of the half-year in which it ended, in that half-year's window. */
    if (!last_window_closed(db, &v, p, &rc)) return rc;
    rc = vouchers_close(db, e->actor, &v, VOUCHER_EXPIRED,
                        v.redeemed_fen > 0 ? "服务期满且宽限期内未再申请兑现，未兑现部分释放回资金池"
                                           : "服务期满且宽限期内未申请兑现");
    e->expired = rc == YQ_OK;
    (void)p;
    return rc == YQ_ECONFLICT ? YQ_OK : rc; /* a claim or a close came first: not due */
}

int vouchers_expire_due(struct db *db, const struct actor *a, int grace_days)
{
    char cutoff[16];
    clock_format_date(clock_cst_day(clock_now_ms()) - grace_days, cutoff);
    struct voucher_ids due;
    int rc = vouchers_due(db, cutoff, &due);
    if (rc != YQ_OK) return rc;
    int n = 0;
    for (size_t i = 0; i < due.n; i++) {
        struct expire_one e = {a, due.id[i], cutoff, false};
        struct problem p;
        rc = service_tx(db, expire_one, &e, &p);
        if (rc != YQ_OK) break;
        n += e.expired;
    }
    voucher_ids_free(&due);
    return rc == YQ_OK ? n : rc;
}
