/* The enterprise CSV import's pure part (issue 10): encoding detection and
 * conversion (src/core/encoding.c, UTF-8 with or without BOM, or GBK read
 * as GB18030), the CSV reader over the result, the header mapping and the
 * cell rules of src/core/import_columns.c. The database checks and writes
 * of src/service/enterprise_import.c are not driven.
 *
 * Checked: a file that converts gives valid UTF-8 without NUL bytes, the
 * same bytes for UTF-8 (less the BOM), and converts again to itself as
 * UTF-8; a refusal names the field. Trimming is idempotent and leaves no
 * blank at either end; a count read is 0..10,000,000; yes/no is -1, 0 or 1;
 * an industry letter is A–T; a valid USCC may be imported into the
 * county of its own division code. */
#include "core/csv.h"
#include "core/encoding.h"
#include "core/import_columns.h"
#include "core/status.h"
#include "core/uscc.h"
#include "fuzz.h"

static void check_cell(const char *cell)
{
    char *t = strdup(cell);
    import_trim(t);
    size_t n = strlen(t);
    FUZZ_CHECK(n <= strlen(cell));
    if (n) {
        FUZZ_CHECK(!strchr(" \t\r\n", t[0]) && !strchr(" \t\r\n", t[n - 1]));
        FUZZ_CHECK(strncmp(t, "\xE3\x80\x80", 3) != 0);
        FUZZ_CHECK(n < 3 || memcmp(t + n - 3, "\xE3\x80\x80", 3) != 0);
    }
    char *again = strdup(t);
    FUZZ_CHECK(strcmp(import_trim(again), t) == 0);
    int64_t count = -1;
    if (import_parse_count(t, &count)) FUZZ_CHECK(count >= 0 && count <= 10000000);
    int yn = import_parse_yes_no(t);
    FUZZ_CHECK(yn >= -1 && yn <= 1);
    char letter = import_industry_letter(t);
    FUZZ_CHECK(letter == '\0' || (letter >= 'A' && letter <= 'T'));
    int col = import_column_find(t);
    FUZZ_CHECK(col >= -1 && col < IMPORT_NCOLUMNS);
    (void)import_flag_code(t);
    (void)import_looks_scientific(t);
    char code[USCC_LEN + 1];
    struct problem p;
    problem_clear(&p);
    if (uscc_validate("uscc", t, code, &p) == YQ_OK) {
        char county[7];
        memcpy(county, code + 2, 6);
        county[6] = '\0';
        FUZZ_CHECK(import_division_ok(code, county, true, "3708"));
    }
    free(again);
    free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = NULL;
    size_t len = 0;
    enum text_encoding enc;
    struct problem p;
    problem_clear(&p);
    int rc = encoding_to_utf8("file", (const char *)data, size, &out, &len, &enc, &p);
    if (rc != YQ_OK) {
        FUZZ_CHECK(rc == YQ_EINVAL && out == NULL && strcmp(p.field, "file") == 0 && p.code[0]);
        return 0;
    }
    FUZZ_CHECK(out && out[len] == '\0' && !memchr(out, '\0', len));
    FUZZ_CHECK(encoding_is_utf8(out, len, NULL));
    if (enc == TEXT_UTF8) FUZZ_CHECK(len == size && memcmp(out, data, size) == 0);
    if (enc == TEXT_UTF8_BOM) FUZZ_CHECK(len + 3 == size && memcmp(out, data + 3, len) == 0);
    char *twice = NULL;
    size_t len2 = 0;
    enum text_encoding enc2;
    FUZZ_CHECK(encoding_to_utf8("file", out, len, &twice, &len2, &enc2, &p) == YQ_OK);
    size_t bom = len >= 3 && memcmp(out, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    FUZZ_CHECK(enc2 == (bom ? TEXT_UTF8_BOM : TEXT_UTF8));
    FUZZ_CHECK(len2 == len - bom && memcmp(twice, out + bom, len2) == 0);
    free(twice);

    struct csv_reader r;
    struct csv_row row;
    csv_init(&r, out, len);
    int rows = 0;
    while (rows < 64 && csv_next(&r, &row) == 1) {
        for (int i = 0; i < row.n; i++)
            check_cell(row.f[i]);
        rows++;
    }
    csv_cleanup(&r);
    free(out);
    return 0;
}
