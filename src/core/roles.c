/* Role codes and names (SPEC §1). */
#include "core/roles.h"

#include <string.h>

const enum role role_all[ROLE_COUNT] = {
    ROLE_ENTERPRISE, ROLE_PROVIDER, ROLE_COUNTY_IT, ROLE_COUNTY_FINANCE, ROLE_EVALUATOR,
    ROLE_CITY_IT,    ROLE_CITY_FINANCE, ROLE_AUDITOR, ROLE_ADMIN,
};

static const struct {
    enum role role;
    const char *code, *zh;
} table[] = {
    {ROLE_ENTERPRISE, "enterprise", "企业用户"},
    {ROLE_PROVIDER, "provider", "云服务商"},
    {ROLE_COUNTY_IT, "county_it", "县级经济和信息化部门"},
    {ROLE_COUNTY_FINANCE, "county_finance", "县级财政部门"},
    {ROLE_EVALUATOR, "evaluator", "第三方评价机构"},
    {ROLE_CITY_IT, "city_it", "市经济和信息化委员会"},
    {ROLE_CITY_FINANCE, "city_finance", "市财政局"},
    {ROLE_AUDITOR, "auditor", "审计/监察"},
    {ROLE_ADMIN, "admin", "系统管理员"},
};

enum role role_parse(const char *code)
{
    if (!code) return ROLE_NONE;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].code, code) == 0) return table[i].role;
    return ROLE_NONE;
}

const char *role_code(enum role r)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].role == r) return table[i].code;
    return "";
}

const char *role_name_zh(enum role r)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].role == r) return table[i].zh;
    return "";
}

bool role_needs_county(enum role r)
{
    /* Evaluators are assigned counties; their account names the first. */
    return (r & ROLE_COUNTY_SCOPED) != 0;
}

bool role_is_official(enum role r)
{
    return r != ROLE_NONE && r != ROLE_ENTERPRISE && r != ROLE_PROVIDER;
}
