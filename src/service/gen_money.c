/* `yunquan gen`, the money half: per half-year of the program, the county
 * pools are funded (county money in H1, a city award in H2, together about
 * 80 % of what the county's enterprises will ask for, so vouchers run out
 * and the waitlist fills), the previous half-year is redeemed (filed,
 * evaluated, approved, noticed for 5 working days, paid), then the
 * half-year's contracts are drafted and confirmed in time order. All
 * through the use cases, many to a transaction. */
#include "core/clock.h"
#include "core/status.h"
#include "core/workdays.h"
#include "service/calendar.h"
#include "service/contracts.h"
#include "service/gen_internal.h"
#include "service/notices.h"
#include "service/payouts.h"
#include "service/redemptions.h"
#include "store/rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int32_t half_first(int h)
{
    return h == 0 ? clock_days_from_civil(2018, 1, 23)
                  : clock_days_from_civil(2018 + h / 2, h % 2 ? 7 : 1, 1);
}

static int32_t half_last(int h)
{
    return clock_days_from_civil(2018 + h / 2, h % 2 ? 12 : 6, h % 2 ? 31 : 30);
}

static int fund(struct gen *g, int h, struct problem *p)
{
    int year = 2018 + h / 2;
    int rc = gen_begin(g, p);
    for (int i = 0; rc == YQ_OK && i < g->ncounties; i++) {
        struct gen_county_rt *k = &g->counties[i];
        int64_t amount = k->demand[h / 2] * (h % 2 ? 30 : 60) / 100;
        if (amount <= 0) continue;
        char ref[96];
        if (h % 2)
            snprintf(ref, sizeof ref, "济财企指〔%d〕%d号", year, i + 1);
        else
            snprintf(ref, sizeof ref, "%s财预〔%d〕8号", k->code, year);
        json_t *body = json_pack("{s:I, s:s, s:s}", "amount_fen", (json_int_t)amount, "source",
                                 h % 2 ? "city_award" : "county", "reference", ref);
        json_t *r = budgets_fund(g->db, h % 2 ? &g->city_fin : &k->fin, k->code, year, body, p);
        json_decref(body);
        if (!r) rc = p->status;
        json_decref(r);
    }
    if (rc != YQ_OK) {
        db_rollback(g->db);
        return rc;
    }
    return gen_end(g, p);
}

/* The half-year's contracts, evenly spread from `from` to its end. */
static int sign(struct gen *g, int h, int32_t from, int64_t *done, struct problem *p)
{
    int64_t n = 0;
    for (int64_t i = 0; i < g->nents; i++)
        n += g->ents[i].half == h;
    if (n == 0) return YQ_OK;
    int64_t start = (int64_t)from * 86400000LL,
            span = (int64_t)(half_last(h) - 2 - from) * 86400000LL;
    int rc = gen_begin(g, p);
    int64_t k = 0;
    for (int64_t i = 0; rc == YQ_OK && i < g->nents; i++) {
        struct gen_enterprise *e = &g->ents[i];
        if (e->half != h) continue;
        int64_t t = start + span * k++ / n;
        gen_at(g, from, t - start);
        const struct gen_provider *pv = &g->providers[e->provider];
        int32_t today = clock_cst_day(g->now);
        char signed_on[16], end[16], no[48];
        clock_format_date(today, signed_on);
        clock_format_date(today + (e->quantity > 1 ? 729 : 364), end);
        snprintf(no, sizeof no, "YQ-%d-%07lld", 2018 + h / 2, (long long)i);
        json_t *body =
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:I, s:I}, {s:s, s:s, s:i, s:I}]}",
                      "enterprise_id", e->id, "contract_no", no, "signed_on", signed_on,
                      "service_start", signed_on, "service_end", end, "lines", "catalog_item_id",
                      pv->items[e->item], "quantity", (json_int_t)e->quantity, "unit_price_fen",
                      (json_int_t)pv->price[e->item], "description", "上云迁移与培训服务", "unit",
                      "项", "quantity", 1, "unit_price_fen", (json_int_t)e->service_fen);
        struct actor prov = {.user = pv->user, .role = ROLE_PROVIDER, .client_addr = "gen"};
        json_t *c = contracts_draft(g->db, &prov, body, p);
        json_decref(body);
        if (!c) {
            rc = p->status;
            break;
        }
        char cid[ID_LEN + 1];
        snprintf(cid, sizeof cid, "%s", rows_str(c, "id"));
        json_decref(c);
        gen_at(g, from, t - start + 600000);
        struct actor ent = {.role = ROLE_ENTERPRISE, .client_addr = "gen"};
        if (users_get(g->db, e->user_id, &ent.user) != YQ_OK) {
            rc = problem_db_error(p);
            break;
        }
        int status;
        json_t *r = contracts_confirm(g->db, &ent, cid, &status, p);
        if (!r) {
            rc = p->status;
            break;
        }
        g->stats->contracts++;
        if (json_is_object(json_object_get(r, "voucher"))) g->stats->vouchers++;
        if (json_is_object(json_object_get(r, "waitlist"))) g->stats->waiting++;
        json_decref(r);
        if (++*done % 1000 == 0 || *done == g->nents) gen_report(g, "签订合同", *done, g->nents);
        rc = gen_tick(g, p);
    }
    if (rc != YQ_OK) {
        db_rollback(g->db);
        return rc;
    }
    return gen_end(g, p);
}

#define MAX_ITEMS 200

/* One application per provider and county of its city, for the vouchers
 * it can claim; evaluated and approved. Collects the ids per county. */
static int file_period(struct gen *g, const char *period, int32_t day, json_t *by_county,
                       struct problem *p)
{
    int rc = YQ_OK;
    for (int v = 0; rc == YQ_OK && v < g->nproviders; v++) {
        const struct gen_provider *pv = &g->providers[v];
        struct actor prov = {.user = pv->user, .role = ROLE_PROVIDER, .client_addr = "gen"};
        for (int c = 0; rc == YQ_OK && c < g->ncounties; c++) {
            struct gen_county_rt *k = &g->counties[c];
            if (k->city != pv->city) continue;
            gen_at(g, day, 0);
            json_t *open = redemptions_claimable(g->db, &prov, k->code, period, p);
            if (!open) return p->status;
            json_t *items = json_array(), *row;
            size_t i;
            json_array_foreach(json_object_get(open, "items"), i, row)
            {
                int64_t left = json_integer_value(json_object_get(row, "claimable_fen"));
                if (left <= 0 || json_array_size(items) >= MAX_ITEMS ||
                    prng_below(&g->rng, 100) < 4)
                    continue;
                int64_t claim = prng_below(&g->rng, 100) < 5 ? left : (left + 4) / 5;
                json_array_append_new(items, json_pack("{s:s, s:s, s:I, s:I, s:s}", "voucher_id",
                                                       rows_str(row, "voucher_id"), "service_desc",
                                                       "本半年云服务（按合同交付）", "fee_fen",
                                                       (json_int_t)(claim * 4), "claim_fen",
                                                       (json_int_t)claim, "invoice_nos",
                                                       "37001921300001"));
            }
            json_decref(open);
            if (json_array_size(items) == 0) {
                json_decref(items);
                continue;
            }
            json_t *body = json_pack("{s:s, s:s, s:o}", "county_code", k->code, "period", period,
                                     "items", items);
            json_t *r = redemptions_create(g->db, &prov, body, p);
            json_decref(body);
            if (!r) return p->status;
            char rid[ID_LEN + 1];
            snprintf(rid, sizeof rid, "%s", rows_str(r, "id"));
            json_decref(r);
            if (!(r = redemptions_submit(g->db, &prov, rid, p))) return p->status;
            json_decref(r);
            gen_at(g, day + 4, 0);
            json_t *scores = json_pack("[{s:s, s:i}, {s:s, s:i}, {s:s, s:i}, {s:s, s:i}]", "name",
                                       "服务交付与合同相符", "score", 90, "name",
                                       "服务质量与稳定性", "score", 85, "name", "企业满意度",
                                       "score", 88, "name", "票据与证明材料", "score", 92);
            body = json_pack("{s:o, s:s}", "scores", scores, "note", "服务按合同交付");
            r = redemptions_evaluate(g->db, &g->evaluators[pv->city], rid, body, p);
            json_decref(body);
            if (!r) return p->status;
            json_decref(r);
            gen_at(g, day + 6, 0);
            body = json_pack("{s:s, s:s}", "decision", "approve", "reason", "材料齐全，同意兑现");
            r = redemptions_review(g->db, &k->it, rid, body, p);
            json_decref(body);
            if (!r) return p->status;
            json_decref(r);
            json_array_append_new(json_array_get(by_county, (size_t)c), json_string(rid));
            g->stats->redemptions++;
            rc = gen_tick(g, p);
        }
    }
    return rc;
}

/* At most this many applications in one notice or payout batch (the
 * API's own limit). */
#define GEN_BATCH 200

/* Files, reviews, notices and pays the half-year that ended before `day`;
 * returns the first day after the last payment in *after. */
static int redeem(struct gen *g, int h, int32_t day, int32_t *after, struct problem *p)
{
    char period[32];
    snprintf(period, sizeof period, "%dH%d", 2018 + h / 2, h % 2 + 1);
    json_t *by_county = json_array();
    for (int c = 0; c < g->ncounties; c++)
        json_array_append_new(by_county, json_array());
    int rc = gen_begin(g, p);
    if (rc == YQ_OK) rc = file_period(g, period, day, by_county, p);
    if (rc == YQ_OK)
        rc = gen_end(g, p);
    else
        db_rollback(g->db);
    gen_report(g, "兑现申请", h + 1, GEN_HALVES);
    /* A notice and a payout batch take at most GEN_BATCH applications: a
     * large county's half-year is cut into several. */
    json_t *chunks = json_array(); /* [{"c": county index, "ids": [...], "notice": id}] */
    for (int c = 0; c < g->ncounties; c++) {
        json_t *ids = json_array_get(by_county, (size_t)c);
        for (size_t at = 0; at < json_array_size(ids); at += GEN_BATCH) {
            json_t *part = json_array();
            for (size_t i = at; i < at + GEN_BATCH && i < json_array_size(ids); i++)
                json_array_append(part, json_array_get(ids, i));
            json_array_append_new(chunks, json_pack("{s:i, s:o}", "c", c, "ids", part));
        }
    }
    int32_t opens = day + 7, last = opens;
    size_t i;
    json_t *chunk;
    if (rc == YQ_OK) rc = gen_begin(g, p);
    json_array_foreach(chunks, i, chunk) {
        if (rc != YQ_OK) break;
        int c = (int)json_integer_value(json_object_get(chunk, "c"));
        char on[16];
        clock_format_date(opens, on);
        gen_at(g, opens, 0);
        json_t *body = json_pack("{s:s, s:O, s:s}", "county_code", g->counties[c].code,
                                 "redemption_ids", json_object_get(chunk, "ids"), "opens_on", on);
        json_t *r = notices_open(g->db, &g->counties[c].it, body, p);
        json_decref(body);
        if (!r) {
            rc = p->status;
            break;
        }
        int32_t close;
        if (clock_parse_date(rows_str(r, "close_day"), &close) == YQ_OK && close > last)
            last = close;
        json_object_set_new(chunk, "notice", json_string(rows_str(r, "id")));
        json_decref(r);
    }
    if (rc == YQ_OK)
        rc = gen_end(g, p);
    else
        db_rollback(g->db);
    int32_t pay_day = last + 1;
    if (rc == YQ_OK) workdays_add(calendar_official(g->db), last, 2, &pay_day);
    if (rc == YQ_OK) rc = gen_begin(g, p);
    int nth = 0, prev = -1;
    json_array_foreach(chunks, i, chunk) {
        if (rc != YQ_OK) break;
        int c = (int)json_integer_value(json_object_get(chunk, "c"));
        nth = c == prev ? nth + 1 : 1;
        prev = c;
        const char *nid = json_string_value(json_object_get(chunk, "notice"));
        struct gen_county_rt *k = &g->counties[c];
        gen_at(g, last + 1, 0);
        json_t *r = notices_close(g->db, &k->it, nid, p);
        if (!r) {
            rc = p->status;
            break;
        }
        json_decref(r);
        gen_at(g, pay_day, 0);
        json_t *body = json_pack("{s:s, s:O}", "county_code", k->code, "redemption_ids",
                                 json_object_get(chunk, "ids"));
        r = payouts_create(g->db, &k->fin, body, p);
        json_decref(body);
        if (!r) {
            rc = p->status;
            break;
        }
        char bid[ID_LEN + 1], paid_on[16], ref[96];
        snprintf(bid, sizeof bid, "%s", rows_str(r, "id"));
        json_decref(r);
        clock_format_date(pay_day, paid_on);
        snprintf(ref, sizeof ref, "%s财付〔%s〕兑现 %d 号", k->code, period, nth);
        body = json_pack("{s:s, s:s}", "paid_on", paid_on, "reference", ref);
        r = payouts_pay(g->db, &k->fin, bid, body, p);
        json_decref(body);
        if (!r) {
            rc = p->status;
            break;
        }
        json_decref(r);
        g->stats->payouts++;
    }
    if (rc == YQ_OK)
        rc = gen_end(g, p);
    else
        db_rollback(g->db);
    json_decref(chunks);
    json_decref(by_county);
    *after = pay_day + 1;
    return rc;
}

int gen_money(struct gen *g, struct problem *p)
{
    /* Each signing enterprise: its half-year, provider, line and the
     * money it will ask for (to size the budgets). */
    int *by_city[GEN_MAX_CITIES] = {0};
    int nby_city[GEN_MAX_CITIES] = {0};
    for (int v = 0; v < g->nproviders; v++) {
        int c = g->providers[v].city;
        by_city[c] = realloc(by_city[c], sizeof(int) * (size_t)(nby_city[c] + 1));
        if (!by_city[c]) abort();
        by_city[c][nby_city[c]++] = v;
    }
    for (int64_t i = 0; i < g->nents; i++) {
        struct gen_enterprise *e = &g->ents[i];
        struct gen_county_rt *k = &g->counties[e->county];
        e->half = (int)prng_below(&g->rng, GEN_HALVES);
        e->provider = by_city[k->city][prng_below(&g->rng, (uint64_t)nby_city[k->city])];
        e->item = (int)prng_below(&g->rng, 2);
        e->quantity = prng_range(&g->rng, 1, 2);
        e->service_fen = prng_range(&g->rng, 30, 80) * 10000;
        int year = e->half / 2;
        int64_t base = e->quantity * g->providers[e->provider].price[e->item];
        int64_t amount = base * (3000 - 500 * year) / 10000;
        k->demand[year] += amount < 5000000 ? amount : 5000000;
    }
    for (int c = 0; c < GEN_MAX_CITIES; c++)
        free(by_city[c]);
    int64_t done = 0;
    int rc = YQ_OK;
    for (int h = 0; rc == YQ_OK && h < GEN_HALVES; h++) {
        int32_t day = half_first(h) + 1;
        gen_at(g, day, 0);
        rc = fund(g, h, p);
        if (rc == YQ_OK && h > 0) rc = redeem(g, h - 1, day + 1, &day, p);
        if (rc == YQ_OK) rc = sign(g, h, day + 1, &done, p);
    }
    /* The last half-year is redeemed in January 2021, inside its window. */
    int32_t after;
    if (rc == YQ_OK) rc = redeem(g, GEN_HALVES - 1, clock_days_from_civil(2021, 1, 4), &after, p);
    return rc;
}
