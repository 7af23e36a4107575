/* The whole API in one table: read it to know every request and who may
 * make it. Every route is in the OpenAPI document (src/api/openapi.json);
 * a unit test walks this table against it. */
#include "api/api.h"
#include "core/roles.h"

#define OFFICIAL_READERS (ROLE_ADMIN | ROLE_AUDITOR | ROLE_COUNTY_IT | ROLE_COUNTY_FINANCE)

const struct route api_routes[] = {
    {"GET", "/healthz", ROLE_PUBLIC, h_healthz, "健康检查"},
    {"GET", "/metrics", ROLE_PUBLIC, h_metrics, "Prometheus 指标"},
    {"GET", "/api/v1/openapi.json", ROLE_PUBLIC, h_openapi, "OpenAPI 文档"},
    {"POST", "/api/v1/auth/login", ROLE_PUBLIC, h_login, "登录"},
    {"POST", "/api/v1/auth/logout", ROLE_ANY_USER, h_logout, "退出登录"},
    {"GET", "/api/v1/auth/me", ROLE_ANY_USER, h_me, "当前账号"},
    {"GET", "/api/v1/users", OFFICIAL_READERS, h_users_list, "账号列表"},
    {"POST", "/api/v1/users", ROLE_ADMIN, h_users_create, "新增官方账号"},
    {"GET", "/api/v1/users/{id}", OFFICIAL_READERS, h_users_get, "账号详情"},
    {"POST", "/api/v1/users/{id}/lock", ROLE_ADMIN, h_users_lock, "停用或启用账号"},
    {"POST", "/api/v1/users/{id}/password", ROLE_ADMIN, h_users_password, "重置密码"},
    {"GET", "/api/v1/counties", ROLE_ANY_USER, h_counties_list, "区县与目标"},
    {"GET", "/api/v1/audit", ROLE_AUDITOR | ROLE_ADMIN, h_audit_list, "审计日志"},
};

const size_t api_route_count = sizeof api_routes / sizeof api_routes[0];
