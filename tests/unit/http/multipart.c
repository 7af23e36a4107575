/* Tests of src/http/multipart.c: finding the named file part. */
#include "test.h"

#include "http/multipart.h"

#include <string.h>

#define CT "multipart/form-data; boundary=XyZ"

static void test_finds_the_file_part_with_its_name(void **state)
{
    (void)state;
    const char body[] =
        "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"合同.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4 x\r\n--XyZ--\r\n";
    struct multipart_part part;
    assert_true(multipart_find(CT, body, sizeof body - 1, "file", &part));
    assert_int_equal(part.len, 10);
    assert_memory_equal(part.data, "%PDF-1.4 x", 10);
    assert_string_equal(part.filename, "合同.pdf");
}

static void test_missing_part_or_boundary_is_refused(void **state)
{
    (void)state;
    const char body[] =
        "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--XyZ--\r\n";
    struct multipart_part part;
    assert_false(multipart_find(CT, body, sizeof body - 1, "file", &part));
    assert_false(multipart_find("multipart/form-data", body, sizeof body - 1, "note", &part));
    assert_false(multipart_find(CT, "garbage", 7, "file", &part));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finds_the_file_part_with_its_name),
        cmocka_unit_test(test_missing_part_or_boundary_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
