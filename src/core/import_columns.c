/* Columns and cell rules of the enterprise import sheet. */
#include "core/import_columns.h"

#include <stddef.h>
#include <string.h>

const struct import_column_def import_columns[IMPORT_NCOLUMNS] = {
    [IMPORT_USCC] = {"统一社会信用代码", "uscc", true, "91370811MA3C000000"},
    [IMPORT_NAME] = {"企业名称", "name", true, "济宁某某科技有限公司"},
    [IMPORT_LEGAL_REP] = {"法定代表人", "legal_rep", true, "张三"},
    [IMPORT_ADDRESS] = {"注册地址", "address", true, "济宁市任城区某某路 1 号"},
    [IMPORT_PHONE] = {"手机号码", "phone", true, "13800000000"},
    [IMPORT_EMAIL] = {"电子邮箱", "email", true, "contact@example.com"},
    [IMPORT_INDEPENDENT] = {"是否独立法人", "independent_legal_person", true, "是"},
    [IMPORT_INDUSTRY] = {"所属行业", "industry", true, "C 制造业"},
    [IMPORT_EMPLOYEES] = {"员工人数", "employees", true, "120"},
    [IMPORT_TAGS] = {"重点产业标签", "key_industry_tags", false, ""},
    [IMPORT_FLAGS] = {"优先支持类别", "priority_flags", false, "科技型、专精特新"},
    [IMPORT_CERT_NO] = {"两化融合证书编号", "certificate.no", false, ""},
    [IMPORT_CERT_ISSUER] = {"证书发证机构", "certificate.issuer", false, ""},
    [IMPORT_CERT_FROM] = {"证书有效期起", "certificate.valid_from", false, ""},
    [IMPORT_CERT_UNTIL] = {"证书有效期止", "certificate.valid_until", false, ""},
};

/* Headers other sheets use for the same columns. */
static const struct {
    const char *header;
    enum import_column column;
} aliases[] = {
    {"社会信用代码", IMPORT_USCC},    {"信用代码", IMPORT_USCC},
    {"单位名称", IMPORT_NAME},        {"法人代表", IMPORT_LEGAL_REP},
    {"地址", IMPORT_ADDRESS},         {"企业地址", IMPORT_ADDRESS},
    {"联系电话", IMPORT_PHONE},       {"手机", IMPORT_PHONE},
    {"邮箱", IMPORT_EMAIL},           {"行业", IMPORT_INDUSTRY},
    {"从业人数", IMPORT_EMPLOYEES},   {"职工人数", IMPORT_EMPLOYEES},
    {"独立法人", IMPORT_INDEPENDENT},
};

static bool blank_at(const char *s, size_t *n)
{
    unsigned char c = (unsigned char)s[0];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        *n = 1;
        return true;
    }
    if (c == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80) {
        *n = 3;
        return true;
    }
    return false;
}

char *import_trim(char *s)
{
    size_t n, start = 0, len = strlen(s);
    while (start < len && blank_at(s + start, &n))
        start += n;
    size_t end = len;
    for (;;) {
        if (end > start &&
            (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\r' || s[end - 1] == '\n'))
            end--;
        else if (end >= start + 3 && memcmp(s + end - 3, "\xE3\x80\x80", 3) == 0)
            end -= 3;
        else
            break;
    }
    memmove(s, s + start, end - start);
    s[end - start] = '\0';
    return s;
}

int import_column_find(const char *header)
{
    char h[128];
    size_t n = strlen(header);
    if (n >= sizeof h) return -1;
    memcpy(h, header, n + 1);
    import_trim(h);
    /* Excel writes a hint like "员工人数（人）" or a "*" for required. */
    char *paren = strstr(h, "（");
    if (!paren) paren = strchr(h, '(');
    if (paren) *paren = '\0';
    size_t len = strlen(h);
    while (len > 0 && h[len - 1] == '*')
        h[--len] = '\0';
    char *star = h;
    while (*star == '*')
        star++;
    for (int i = 0; i < IMPORT_NCOLUMNS; i++)
        if (strcmp(import_columns[i].header, star) == 0) return i;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(aliases[i].header, star) == 0) return (int)aliases[i].column;
    return -1;
}

int import_parse_yes_no(const char *s)
{
    static const char *const yes[] = {"是", "Y", "y", "1", "true", "TRUE", "是的", NULL};
    static const char *const no[] = {"否", "N", "n", "0", "false", "FALSE", NULL};
    for (int i = 0; yes[i]; i++)
        if (strcmp(s, yes[i]) == 0) return 1;
    for (int i = 0; no[i]; i++)
        if (strcmp(s, no[i]) == 0) return 0;
    return -1;
}

bool import_parse_count(const char *s, int64_t *out)
{
    int64_t v = 0;
    int digits = 0;
    const char *c = s;
    for (; *c && *c != '.'; c++) {
        if (*c == ',' && digits > 0) continue;
        if (*c < '0' || *c > '9') return false;
        v = v * 10 + (*c - '0');
        if (v > 10000000) return false;
        digits++;
    }
    if (*c == '.') {
        for (c++; *c; c++)
            if (*c != '0') return false;
    }
    if (digits == 0) return false;
    *out = v;
    return true;
}

char import_industry_letter(const char *s)
{
    char c = s[0];
    if (c >= 'a' && c <= 't') c = (char)(c - 'a' + 'A');
    if (c < 'A' || c > 'T') return '\0';
    char next = s[1];
    if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') ||
        (next >= '0' && next <= '9'))
        return '\0'; /* "Cloud", "C13": not a section letter */
    return c;
}

const char *import_flag_code(const char *zh)
{
    static const struct {
        const char *zh, *code;
    } flags[] = {{"科技型", "tech"},          {"创新型", "innovative"}, {"高成长型", "high_growth"},
                 {"专精特新", "specialized"}, {"试点示范", "pilot"},    {"试点", "pilot"},
                 {"示范", "pilot"},           {"重点培育", "pilot"}};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if (strcmp(flags[i].zh, zh) == 0) return flags[i].code;
    return NULL;
}

bool import_looks_scientific(const char *s)
{
    const char *e = strpbrk(s, "Ee");
    if (!e || (e[1] != '+' && e[1] != '-')) return false;
    for (const char *c = s; c < e; c++)
        if (!((*c >= '0' && *c <= '9') || *c == '.')) return false;
    return e[2] >= '0' && e[2] <= '9';
}

bool import_division_ok(const char *uscc, const char *county_code, bool code_is_official,
                        const char *city_prefix)
{
    if (strlen(uscc) < 8) return false;
    if (strlen(county_code) == 6 && strncmp(uscc + 2, county_code, 6) == 0) return true;
    if (code_is_official) return false;
    size_t n = strlen(city_prefix);
    return n > 0 && n <= 6 && strncmp(uscc + 2, city_prefix, n) == 0;
}
