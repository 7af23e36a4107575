/* Contract arithmetic (SPEC §5): line amounts, the total, and the subsidy
 * base, which counts only lines that name a published catalog item. Pure,
 * in fen, refusing any overflow. */
#ifndef YQ_CORE_CONTRACT_H
#define YQ_CORE_CONTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct contract_line_calc {
    bool from_catalog;
    int64_t quantity;
    int64_t unit_price_fen;
    int64_t amount_fen; /* out */
};

/* Fills each line's amount and the sums. False (nothing meaningful in the
 * outputs) when a quantity or price is negative or a product or sum would
 * overflow. */
bool contract_totals(struct contract_line_calc *lines, size_t n, int64_t *total_fen,
                     int64_t *base_fen);

#endif
