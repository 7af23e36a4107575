/* The columns of the enterprise import sheet (issue 10): the Chinese
 * headers an official's Excel sheet has, the profile field each fills
 * (the fields of SPEC §3 and of PATCH /enterprises/{id}), and the rules
 * for turning a cell's text into a value. Pure. */
#ifndef YQ_CORE_IMPORT_COLUMNS_H
#define YQ_CORE_IMPORT_COLUMNS_H

#include <stdbool.h>
#include <stdint.h>

enum import_column {
    IMPORT_USCC,
    IMPORT_NAME,
    IMPORT_LEGAL_REP,
    IMPORT_ADDRESS,
    IMPORT_PHONE,
    IMPORT_EMAIL,
    IMPORT_INDEPENDENT,
    IMPORT_INDUSTRY,
    IMPORT_EMPLOYEES,
    IMPORT_TAGS,
    IMPORT_FLAGS,
    IMPORT_CERT_NO,
    IMPORT_CERT_ISSUER,
    IMPORT_CERT_FROM,
    IMPORT_CERT_UNTIL,
    IMPORT_NCOLUMNS
};

struct import_column_def {
    const char *header; /* the template's header, e.g. "统一社会信用代码" */
    const char *field;  /* the API field it fills, e.g. "uscc" */
    bool required;
    const char *example; /* an example cell, for the documentation */
};

extern const struct import_column_def import_columns[IMPORT_NCOLUMNS];

/* The files the importer takes: at most this many bytes and data rows. */
#define IMPORT_MAX_BYTES (1024 * 1024)
#define IMPORT_MAX_ROWS 5000

/* The column a header cell names (surrounding blanks ignored; a few
 * common variants accepted, e.g. 从业人数 for 员工人数), or -1. */
int import_column_find(const char *header);

/* Removes ASCII blanks and ideographic spaces (U+3000) around s, in
 * place; returns s. */
char *import_trim(char *s);

/* 是/否 (also Y/N, 1/0, true/false): 1, 0, or -1 when it is neither. */
int import_parse_yes_no(const char *s);
/* A non-negative whole number of at most 10,000,000 (Excel may add ".0"
 * or thousands separators: "1,200" and "35.0" are read). */
bool import_parse_count(const char *s, int64_t *out);
/* The GB/T 4754 section letter of "C", "c", "C 制造业" or "C制造业";
 * '\0' when the cell does not start with a letter A–T. */
char import_industry_letter(const char *s);
/* The code of a priority group written in Chinese (科技型 → "tech"), or
 * NULL. */
const char *import_flag_code(const char *zh);
/* Whether a cell holds a number in Excel's scientific notation
 * ("9.13708E+17"): an all-digit code that Excel has mangled. */
bool import_looks_scientific(const char *s);

/* Whether an enterprise with this (valid, normalised) USCC may be imported
 * into the county: the registering authority's division code (characters
 * 3–8) must be the county's own code. A development zone's code is not an
 * official division code (its enterprises register with the city or a
 * district), so for a zone any division code of the city (city_prefix,
 * e.g. "3708") is accepted. */
bool import_division_ok(const char *uscc, const char *county_code, bool code_is_official,
                        const char *city_prefix);

#endif
