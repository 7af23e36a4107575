/* USCC validation (src/core/uscc.c) on arbitrary text. Beyond memory
 * errors it checks: a code that validates is 18 characters of the
 * alphabet, upper case, with both check characters right; it validates
 * again (lower-cased too) to the same code; and a wrong last character
 * is refused. A refusal always names the field and a code. */
#include "core/problem.h"
#include "core/status.h"
#include "core/uscc.h"
#include "fuzz.h"

#include <ctype.h>

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_cstring(data, size);
    char out[USCC_LEN + 1];
    struct problem p;
    problem_clear(&p);
    int rc = uscc_validate("uscc", in, out, &p);
    if (rc != YQ_OK) {
        FUZZ_CHECK(rc == YQ_EINVAL);
        FUZZ_CHECK(p.code[0] != '\0' && strcmp(p.field, "uscc") == 0);
        free(in);
        return 0;
    }
    FUZZ_CHECK(strlen(out) == USCC_LEN);
    for (int i = 0; i < USCC_LEN; i++)
        FUZZ_CHECK(out[i] && strchr(alphabet, out[i]));
    FUZZ_CHECK(uscc_org_check_char(out + 8) == out[16]);
    FUZZ_CHECK(uscc_check_char(out) == out[17]);

    char again[USCC_LEN + 1], lower[USCC_LEN + 1];
    FUZZ_CHECK(uscc_validate("uscc", out, again, &p) == YQ_OK && strcmp(again, out) == 0);
    for (int i = 0; i <= USCC_LEN; i++)
        lower[i] = (char)tolower((unsigned char)out[i]);
    FUZZ_CHECK(uscc_validate("uscc", lower, again, &p) == YQ_OK && strcmp(again, out) == 0);

    /* Every other last character is refused (the check character is unique). */
    char wrong[USCC_LEN + 1];
    memcpy(wrong, out, sizeof wrong);
    wrong[17] = alphabet[(strchr(alphabet, out[17]) - alphabet + 1 + data[0] % 30) % 31];
    FUZZ_CHECK(uscc_validate("uscc", wrong, again, &p) == YQ_EINVAL);
    free(in);
    return 0;
}
