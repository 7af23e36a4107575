/* Voucher codes (SPEC §5): human-readable and self-checking, e.g.
 * YQ2018-370811-000123-K: issue year, county code, a six-digit serial per
 * county and year, and a check character computed like the USCC's (mod
 * 31 over the 16 digits, weights 3^i mod 31), which catches any single
 * mistyped digit and any swap of two neighbouring digits. */
#ifndef YQ_CORE_VOUCHER_CODE_H
#define YQ_CORE_VOUCHER_CODE_H

#include <stdbool.h>
#include <stdint.h>

#define VOUCHER_CODE_LEN 22 /* YQyyyy-cccccc-nnnnnn-K */

/* Writes the code; false when an argument is out of range (year 1000–9999,
 * county six digits, serial 1–999999). */
bool voucher_code_make(int year, const char *county, int64_t serial,
                       char out[VOUCHER_CODE_LEN + 1]);
/* Whether a code is one voucher_code_make() could write: well formed, in
 * its ranges (year 1000–9999, serial 1–999999) and with the right check
 * character. Lower case is accepted. */
bool voucher_code_valid(const char *code);

#endif
