/* 统一社会信用代码 (unified social credit code, USCC) per GB 32100-2015:
 * 18 characters from 0-9 A-H J-N P-R T U W-Y. Characters 3–8 are the
 * registering authority's division code; 9–17 the organisation code (GB
 * 11714) whose 9th character is its own check digit; character 18 the check
 * character over the first 17.
 *
 * Input is normalised before checking: surrounding blanks are removed and
 * lower-case letters are upper-cased (people type codes from paper
 * certificates; the code is the same code in either case). What is stored
 * and compared is always the normalised upper-case form. */
#ifndef YQ_CORE_USCC_H
#define YQ_CORE_USCC_H

#include "core/problem.h"

#include <stdbool.h>

#define USCC_LEN 18

/* Validates `in` and writes the normalised code to out. YQ_OK, or
 * YQ_EINVAL with p naming `field` and saying what is wrong. */
int uscc_validate(const char *field, const char *in, char out[USCC_LEN + 1], struct problem *p);

/* The check character for the first 17 characters of a code (which must
 * be in the alphabet), or '\0' if they are not. */
char uscc_check_char(const char *first17);

/* The organisation code's check digit ('0'–'9' or 'X') for characters
 * 9–16 of a code, or '\0' if one of them is not a digit or letter. */
char uscc_org_check_char(const char *org8);

/* Whether a valid code's division code (characters 3–8) starts with
 * `prefix` (e.g. "3708" for Jining). */
bool uscc_in_division(const char *uscc, const char *prefix);

#endif
