/* The roles of SPEC §1 and their scopes. */
#ifndef YQ_CORE_ROLES_H
#define YQ_CORE_ROLES_H

#include <stdbool.h>

enum role {
    ROLE_NONE = 0, /* public, not logged in */
    ROLE_ENTERPRISE = 1 << 0,
    ROLE_PROVIDER = 1 << 1,
    ROLE_COUNTY_IT = 1 << 2,
    ROLE_COUNTY_FINANCE = 1 << 3,
    ROLE_EVALUATOR = 1 << 4,
    ROLE_CITY_IT = 1 << 5,
    ROLE_CITY_FINANCE = 1 << 6,
    ROLE_AUDITOR = 1 << 7,
    ROLE_ADMIN = 1 << 8,
};

#define ROLE_ANY_USER 0x1ff /* every logged-in role */
#define ROLE_PUBLIC 0x200   /* route flag: no login needed */
#define ROLE_COUNTY_SCOPED (ROLE_COUNTY_IT | ROLE_COUNTY_FINANCE | ROLE_EVALUATOR)
#define ROLE_CITY_WIDE (ROLE_CITY_IT | ROLE_CITY_FINANCE | ROLE_AUDITOR | ROLE_ADMIN)

/* "county_it" → ROLE_COUNTY_IT; ROLE_NONE when unknown. */
enum role role_parse(const char *code);
/* Code and Chinese name of one role; "" for ROLE_NONE. */
const char *role_code(enum role r);
const char *role_name_zh(enum role r);
/* Whether accounts of this role belong to one county (and must name it). */
bool role_needs_county(enum role r);
/* Whether the role's accounts are made by admin (officials), as opposed to
 * signing themselves up (enterprise, provider). */
bool role_is_official(enum role r);

#define ROLE_COUNT 9
extern const enum role role_all[ROLE_COUNT];

#endif
