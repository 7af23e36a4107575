/* Encoding detection and conversion to UTF-8 (see encoding.h for the
 * rule). GB18030 is converted with the C library's iconv, which on glibc
 * carries the tables itself: no I/O, no state beyond the call. */
#include "core/encoding.h"
#include "core/mem.h"
#include "core/status.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

const char *encoding_name(enum text_encoding e)
{
    switch (e) {
    case TEXT_UTF8_BOM:
        return "UTF-8（带 BOM）";
    case TEXT_GB18030:
        return "GBK";
    case TEXT_UTF8:
    default:
        return "UTF-8";
    }
}

long encoding_line_of(const char *in, size_t at)
{
    long line = 1;
    for (size_t i = 0; i < at; i++)
        if (in[i] == '\n') line++;
    return line;
}

/* The length of the strict UTF-8 sequence at s[0..n), or 0 if there is
 * none (RFC 3629 table 3-7). */
static size_t sequence_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* the range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* no overlongs */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90; /* no overlongs */
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return len;
}

bool encoding_is_utf8(const char *in, size_t len, size_t *bad_at)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0;
    while (i < len) {
        size_t n = sequence_len(s + i, len - i);
        if (n == 0) {
            if (bad_at) *bad_at = i;
            return false;
        }
        i += n;
    }
    return true;
}

static int unreadable(const char *field, const char *in, size_t at, struct problem *p)
{
    return problem_set(p, YQ_EINVAL, "bad_encoding", field,
                       "第 %ld 行含有无法识别的字符：文件既不是 UTF-8 也不是 GBK 编码，"
                       "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”后重新上传",
                       encoding_line_of(in, at));
}

static char *copy(const char *in, size_t len)
{
    char *out = yq_malloc(len + 1);
    memcpy(out, in, len);
    out[len] = '\0';
    return out;
}

/* GB18030 → UTF-8; YQ_OK or YQ_EINVAL with *bad_at at the first byte that
 * does not convert. A GB18030 character is at most 4 bytes and becomes at
 * most 4 bytes of UTF-8; two-byte GBK characters become three: 2 × the
 * input is always enough. */
static int from_gb18030(const char *in, size_t len, char **out, size_t *out_len, size_t *bad_at)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) return YQ_ERR;
    size_t room = 2 * len + 4;
    char *buf = yq_malloc(room + 1);
    char *src = (char *)in, *dst = buf;
    size_t src_left = len, dst_left = room;
    int rc = YQ_OK;
    if (iconv(cd, &src, &src_left, &dst, &dst_left) == (size_t)-1 ||
        iconv(cd, NULL, NULL, &dst, &dst_left) == (size_t)-1) {
        *bad_at = (size_t)(src - in);
        rc = errno == E2BIG ? YQ_ERR : YQ_EINVAL;
    }
    iconv_close(cd);
    if (rc != YQ_OK) {
        free(buf);
        return rc;
    }
    *dst = '\0';
    *out = buf;
    *out_len = (size_t)(dst - buf);
    return YQ_OK;
}

int encoding_to_utf8(const char *field, const char *in, size_t len, char **out, size_t *out_len,
                     enum text_encoding *enc, struct problem *p)
{
    *out = NULL;
    *out_len = 0;
    if (len >= 2 && ((unsigned char)in[0] == 0xFF && (unsigned char)in[1] == 0xFE))
        return problem_set(p, YQ_EINVAL, "bad_encoding", field,
                           "文件为 UTF-16 编码（Excel 的“Unicode 文本”），请另存为“CSV UTF-8"
                           "（逗号分隔）”后重新上传");
    if (len >= 2 && ((unsigned char)in[0] == 0xFE && (unsigned char)in[1] == 0xFF))
        return problem_set(p, YQ_EINVAL, "bad_encoding", field,
                           "文件为 UTF-16 编码，请另存为“CSV UTF-8（逗号分隔）”后重新上传");
    const char *nul = memchr(in, '\0', len);
    if (nul)
        return problem_set(p, YQ_EINVAL, "bad_encoding", field,
                           "第 %ld 行含有空字符（NUL）：这不是文本文件，请上传 CSV 文件",
                           encoding_line_of(in, (size_t)(nul - in)));
    size_t bad = 0;
    if (len >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0) {
        if (!encoding_is_utf8(in + 3, len - 3, &bad))
            return problem_set(p, YQ_EINVAL, "bad_encoding", field,
                               "文件标明为 UTF-8，但第 %ld 行含有不是 UTF-8 的字符",
                               encoding_line_of(in, bad + 3));
        *enc = TEXT_UTF8_BOM;
        *out = copy(in + 3, len - 3);
        *out_len = len - 3;
        return YQ_OK;
    }
    if (encoding_is_utf8(in, len, &bad)) {
        *enc = TEXT_UTF8;
        *out = copy(in, len);
        *out_len = len;
        return YQ_OK;
    }
    size_t gb_bad = 0;
    int rc = from_gb18030(in, len, out, out_len, &gb_bad);
    /* The encoding that reads further is the one the file was meant to
     * be in: name the line where that one stops. */
    if (rc == YQ_EINVAL) return unreadable(field, in, gb_bad > bad ? gb_bad : bad, p);
    if (rc != YQ_OK) return problem_set(p, YQ_ERR, "internal", field, "无法转换文件编码");
    *enc = TEXT_GB18030;
    return YQ_OK;
}
