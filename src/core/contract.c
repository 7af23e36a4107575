/* Contract sums. */
#include "core/contract.h"

bool contract_totals(struct contract_line_calc *lines, size_t n, int64_t *total_fen,
                     int64_t *base_fen)
{
    int64_t total = 0, base = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t q = lines[i].quantity, price = lines[i].unit_price_fen, amount;
        if (q < 0 || price < 0 || __builtin_mul_overflow(q, price, &amount)) return false;
        lines[i].amount_fen = amount;
        if (__builtin_add_overflow(total, amount, &total)) return false;
        if (lines[i].from_catalog && __builtin_add_overflow(base, amount, &base)) return false;
    }
    *total_fen = total;
    *base_fen = base;
    return true;
}
