/* The character encoding of an uploaded text file: UTF-8 (with or without
 * a byte-order mark) or GBK/GB18030, the encoding Excel in China saves CSV
 * in. Pure: bytes in, UTF-8 bytes out.
 *
 * The rule: a file that starts with the UTF-8 BOM must be valid UTF-8; a
 * file that is valid UTF-8 as a whole is UTF-8; anything else is read as
 * GB18030 (a superset of GBK and GB2312) and must convert without a single
 * invalid sequence. A GBK file that happens to be valid UTF-8 too is read
 * as UTF-8: that needs every Chinese character's two bytes to line up as
 * UTF-8 sequences, which practically never holds for a line of real text
 * (and the importer's checks of the USCC and the names then fail loudly
 * instead of storing garbage). UTF-16 files (Excel's "Unicode text") and
 * files with NUL bytes are refused with a message saying how to save the
 * file instead. When neither encoding reads the whole file, the line named
 * is where the one that reads further stops (a UTF-8 file with one broken
 * character is told about that character's line). */
#ifndef YQ_CORE_ENCODING_H
#define YQ_CORE_ENCODING_H

#include "core/problem.h"

#include <stdbool.h>
#include <stddef.h>

enum text_encoding {
    TEXT_UTF8,
    TEXT_UTF8_BOM,
    TEXT_GB18030,
};

/* The encoding's name as shown to the user ("UTF-8", "UTF-8（带 BOM）",
 * "GBK"). */
const char *encoding_name(enum text_encoding e);

/* Whether in[0..len) is strict UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF). When not and bad_at is non-NULL, *bad_at is the
 * offset of the first byte that breaks it. */
bool encoding_is_utf8(const char *in, size_t len, size_t *bad_at);

/* The 1-based line of byte offset `at` in `in`. */
long encoding_line_of(const char *in, size_t at);

/* Detects the encoding of in[0..len) and converts it to UTF-8 without the
 * BOM: YQ_OK with *out (malloc'ed, NUL-terminated, the caller frees it),
 * *out_len and *enc set; or YQ_EINVAL with p naming `field` and the line
 * of the first byte that is neither UTF-8 nor GB18030 (*out is NULL). */
int encoding_to_utf8(const char *field, const char *in, size_t len, char **out, size_t *out_len,
                     enum text_encoding *enc, struct problem *p);

#endif
