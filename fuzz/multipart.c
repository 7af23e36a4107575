/* multipart/form-data (src/http/multipart.c). The input's first line is
 * the Content-Type header, the rest the body; the upload routes look for
 * the part named "file", and the second line's name is tried too. A part
 * found lies inside the body, ends right before a CRLF and the boundary,
 * and its file name is a C string of fewer than 256 bytes. */
#include "http/multipart.h"
#include "fuzz.h"

static void check(const char *type, const char *body, size_t len, const char *name)
{
    struct multipart_part part;
    memset(&part, 0x5a, sizeof part);
    if (!multipart_find(type, body, len, name, &part)) return;
    FUZZ_CHECK(part.data >= body && part.len <= len);
    FUZZ_CHECK((size_t)(part.data - body) <= len - part.len);
    FUZZ_CHECK(memchr(part.filename, '\0', sizeof part.filename));
    size_t after = (size_t)(part.data - body) + part.len;
    FUZZ_CHECK(len - after >= 4 && memcmp(body + after, "\r\n--", 4) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    if (!nl) return 0;
    char *type = fuzz_cstring(data, (size_t)(nl - data));
    size_t rest = size - (size_t)(nl - data) - 1;
    const uint8_t *nl2 = memchr(nl + 1, '\n', rest);
    char *name = fuzz_cstring(nl + 1, nl2 ? (size_t)(nl2 - nl - 1) : 0);
    /* The body in a buffer of its own size, so that reading past it shows. */
    char *body = malloc(rest ? rest : 1);
    if (rest) memcpy(body, nl + 1, rest);
    check(type, body, rest, "file");
    check(type, body, rest, name);
    free(body);
    free(name);
    free(type);
    return 0;
}
