/* Money arithmetic in fen (src/core/contract.c, policy.c, redemption.c).
 * There is no text form of money to parse: the API takes integer fen
 * (JSON numbers, checked by src/http/json.c and the json target), so this
 * target feeds these functions int64 values read from the input (edge
 * values likelier) and checks every result against the same sum done in
 * 128-bit arithmetic: contract line amounts and totals (or a refusal
 * exactly when something is negative or overflows), the voucher amount
 * (⌊base × ratio / 10000⌋, capped) for parameters policy_check accepts,
 * the half-up quality deduction, the approved amount and the balance a
 * claim may use. It also writes each amount as yuan.fen and reads it back. */
#include "core/contract.h"
#include "core/policy.h"
#include "core/redemption.h"
#include "core/status.h"
#include "fuzz.h"

#include <inttypes.h>

struct input {
    const uint8_t *p;
    size_t n;
};

static const int64_t edges[] = {0,
                                1,
                                -1,
                                2,
                                9999,
                                10000,
                                10001,
                                5000,
                                4999,
                                100000000000LL,
                                INT64_MAX,
                                INT64_MIN,
                                INT64_MAX / 2,
                                INT64_MAX / 10000,
                                3037000499LL,
                                3037000500LL};

static uint8_t byte(struct input *in)
{
    if (!in->n) return 0;
    in->n--;
    return *in->p++;
}

/* An int64: an edge value, a small number, or eight raw bytes. */
static int64_t number(struct input *in)
{
    uint8_t how = byte(in);
    if (how < 64) return edges[how % (sizeof edges / sizeof edges[0])];
    if (how < 160) return (int64_t)byte(in) << 8 | byte(in);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | byte(in);
    return (int64_t)v;
}

/* Writes fen as "yuan.ff" the way reports do and reads it back. */
static void yuan_round_trip(int64_t fen)
{
    if (fen < 0) return;
    char s[32];
    snprintf(s, sizeof s, "%" PRId64 ".%02d", fen / 100, (int)(fen % 100));
    char *dot = strchr(s, '.');
    FUZZ_CHECK(dot && strlen(dot) == 3);
    int64_t yuan = strtoll(s, NULL, 10), cents = strtoll(dot + 1, NULL, 10);
    FUZZ_CHECK(yuan * 100 + cents == fen);
}

static void contracts(struct input *in)
{
    struct contract_line_calc lines[8];
    size_t n = byte(in) % 9;
    for (size_t i = 0; i < n; i++)
        lines[i] = (struct contract_line_calc){byte(in) & 1, number(in), number(in), -7};
    int128 total = 0, base = 0;
    bool fits = true;
    for (size_t i = 0; i < n; i++) {
        int128 a = (int128)lines[i].quantity * lines[i].unit_price_fen;
        if (lines[i].quantity < 0 || lines[i].unit_price_fen < 0 || a > INT64_MAX) fits = false;
        total += a;
        if (lines[i].from_catalog) base += a;
        if (total > INT64_MAX || base > INT64_MAX) fits = false;
        if (!fits) break;
    }
    int64_t t = -1, b = -1;
    bool ok = contract_totals(lines, n, &t, &b);
    FUZZ_CHECK(ok == fits);
    if (!ok) return;
    FUZZ_CHECK(t == total && b == base && 0 <= b && b <= t);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(lines[i].amount_fen == (int128)lines[i].quantity * lines[i].unit_price_fen);
    yuan_round_trip(t);
}

static void voucher(struct input *in)
{
    struct policy p = {
        .base_ratio_bp = (int32_t)(number(in) % 20001),
        .taper_bp_per_year = (int32_t)(number(in) % 20001),
        .first_year = 1990 + byte(in) % 120,
        .cap_fen = number(in),
        .cert_bonus_bp = (int32_t)(number(in) % 20001),
    };
    p.last_year = p.first_year + byte(in) % 20 - 2;
    p.n_year_ratios = byte(in) % 4;
    for (int i = 0; i < p.n_year_ratios; i++)
        p.year_ratios[i] =
            (struct policy_year_ratio){p.first_year + byte(in) % 8, (int32_t)(number(in) % 20001)};
    char msg[160];
    if (policy_check(&p, msg, sizeof msg) != YQ_OK) return;
    int64_t base = number(in);
    int year = p.first_year + byte(in) % 24 - 2;
    bool certified = byte(in) & 1;
    struct voucher_calc c;
    int rc = policy_voucher_amount(&p, base, year, certified, &c);
    if (rc != YQ_OK) {
        FUZZ_CHECK(base < 0 || year < p.first_year || year > p.last_year || p.n_year_ratios > 0);
        return;
    }
    FUZZ_CHECK(c.ratio_bp >= 0 && c.ratio_bp <= 10000);
    int128 cap = certified ? (int128)p.cap_fen * (10000 + p.cert_bonus_bp) / 10000 : p.cap_fen;
    int128 subsidy = (int128)base * c.ratio_bp / 10000;
    FUZZ_CHECK(c.cap_fen == cap && c.subsidy_fen == subsidy);
    FUZZ_CHECK(c.amount_fen == (subsidy < cap ? subsidy : cap) && c.capped == (subsidy > cap));
    yuan_round_trip(c.amount_fen);
}

static void redemption(struct input *in)
{
    int64_t claim = number(in), adjustment = number(in);
    struct redemption_deduction d = {byte(in) % 4, number(in), (int32_t)number(in)};
    int64_t ded = -1;
    int rc = redemption_deduction_fen(claim, &d, &ded);
    bool valid =
        claim > 0 &&
        ((d.kind == REDEMPTION_DEDUCT_NONE) ||
         (d.kind == REDEMPTION_DEDUCT_AMOUNT && d.amount_fen >= 0 && d.amount_fen <= claim) ||
         (d.kind == REDEMPTION_DEDUCT_BP && d.bp >= 0 && d.bp <= 10000));
    FUZZ_CHECK((rc == YQ_OK) == valid);
    if (rc == YQ_OK) {
        int128 want = d.kind == REDEMPTION_DEDUCT_NONE     ? 0
                      : d.kind == REDEMPTION_DEDUCT_AMOUNT ? d.amount_fen
                                                           : ((int128)claim * d.bp + 5000) / 10000;
        FUZZ_CHECK(ded == want && 0 <= ded && ded <= claim);
        struct redemption_calc c;
        rc = redemption_approved(claim, &d, adjustment, &c);
        FUZZ_CHECK((rc == YQ_OK) == (adjustment >= 0));
        if (rc == YQ_OK) {
            int128 left = (int128)claim - ded - adjustment;
            FUZZ_CHECK(c.approved_fen == (left < 0 ? 0 : left) && c.clamped == (left < 0));
            yuan_round_trip(c.approved_fen);
        }
    }
    int64_t amount = number(in), redeemed = number(in), open = number(in), remaining = -1;
    rc = redemption_check_claim(claim, amount, redeemed, open, &remaining);
    if (claim <= 0 || amount < 0 || redeemed < 0 || open < 0) {
        FUZZ_CHECK(rc == YQ_EINVAL);
        return;
    }
    int128 left = (int128)amount - redeemed - open;
    if (left < 0) {
        FUZZ_CHECK(rc == YQ_ERR);
        return;
    }
    FUZZ_CHECK(remaining == left && rc == (claim <= left ? YQ_OK : YQ_ECONFLICT));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, size};
    contracts(&in);
    voucher(&in);
    redemption(&in);
    return 0;
}
