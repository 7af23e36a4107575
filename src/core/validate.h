/* Field rules shared by the API, the command line and the UI's hints. Each
 * returns YQ_OK or fills the problem (422-style, field named). */
#ifndef YQ_CORE_VALIDATE_H
#define YQ_CORE_VALIDATE_H

#include "core/problem.h"

#include <stdbool.h>
#include <stddef.h>

/* 3–32 characters of a-z 0-9 _ . - */
int validate_username(const char *field, const char *s, struct problem *p);
/* 10–128 bytes, not all one character. */
int validate_password(const char *field, const char *s, struct problem *p);
/* Non-empty after trimming, at most `max_chars` UTF-8 characters, valid UTF-8
 * without control characters. */
int validate_text(const char *field, const char *label, const char *s, size_t max_chars,
                  struct problem *p);
/* The same for a text of several lines (an objection, an evaluation
 * note): line breaks and tabs are allowed, other control characters not. */
int validate_paragraphs(const char *field, const char *label, const char *s, size_t max_chars,
                        struct problem *p);
/* An e-mail address in the plain form a-b@c.d (5–100 bytes, no spaces). */
bool text_is_email(const char *s);
/* A telephone number as people write one: 7–20 digits, with spaces,
 * hyphens, parentheses or a leading + between them (0537-2345678,
 * 13800000000, +86 138 0000 0000). */
bool text_is_phone(const char *s);
/* Count of UTF-8 characters, or -1 when s is not valid UTF-8. */
long utf8_length(const char *s);
/* Shortens s in place so that it does not end inside a multi-byte
 * character (after a truncating snprintf). */
void utf8_trim_partial(char *s);
/* Copies src into dst (cap bytes) as valid UTF-8: every byte that is not
 * part of a well-formed sequence becomes U+FFFD; stops at a character
 * boundary when dst is full. */
void utf8_sanitize(char *dst, size_t cap, const char *src);

#endif
