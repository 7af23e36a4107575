/* JSON request bodies: parsing with the right error (415 wrong media type,
 * 400 malformed, 422 a field missing or of the wrong type, field named). */
#ifndef YQ_HTTP_JSON_H
#define YQ_HTTP_JSON_H

#include "core/problem.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses text as a JSON object. An empty body reads as {}. On failure
 * returns a negative status with p filled (YQ_EBADREQ) and *out NULL;
 * otherwise the caller owns *out. */
int json_parse_object(const char *text, size_t len, json_t **out, struct problem *p);

/* Rejects fields not in `allowed` (NULL-terminated), naming the first. */
int json_only_fields(json_t *obj, const char *const *allowed, struct problem *p);

/* Field getters. A missing or null field is an error when `required`, else
 * leaves *out as it was. Wrong types are YQ_EINVAL (422) naming the field.
 * Strings are borrowed from obj. */
int json_get_string(json_t *obj, const char *field, bool required, const char **out,
                    struct problem *p);
int json_get_bool(json_t *obj, const char *field, bool required, bool *out, struct problem *p);
int json_get_int(json_t *obj, const char *field, bool required, int64_t *out,
                 struct problem *p);

#endif
