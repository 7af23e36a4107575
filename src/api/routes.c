/* The whole API in one table: read it to know every request and who may
 * make it. Every route is in the OpenAPI document (src/api/openapi.json);
 * a unit test walks this table against it. */
#include "api/api.h"
#include "core/roles.h"

#define OFFICIAL_READERS (ROLE_ADMIN | ROLE_AUDITOR | ROLE_COUNTY_IT | ROLE_COUNTY_FINANCE)
#define NOT_PROVIDER (ROLE_ANY_USER & ~ROLE_PROVIDER)
#define NOT_ENTERPRISE (ROLE_ANY_USER & ~ROLE_ENTERPRISE)
#define CATALOG_READERS                                                                        \
    (ROLE_PROVIDER | ROLE_CITY_IT | ROLE_CITY_FINANCE | ROLE_AUDITOR | ROLE_ADMIN)

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
    {"POST", "/api/v1/auth/signup", ROLE_PUBLIC, h_signup, "企业或云服务商注册"},
    {"GET", "/api/v1/programs", ROLE_ANY_USER, h_programs_list, "政策方案列表"},
    {"GET", "/api/v1/programs/{id}", ROLE_ANY_USER, h_programs_get, "政策方案与参数历史"},
    {"PATCH", "/api/v1/programs/{id}/parameters", ROLE_CITY_IT, h_programs_patch,
     "修改政策参数（生成新版本）"},
    {"GET", "/api/v1/programs/{id}/ratio", ROLE_ANY_USER, h_programs_ratio, "某日适用的补贴比例"},
    {"GET", "/api/v1/enterprises", NOT_PROVIDER, h_enterprises_list, "企业列表（审核队列）"},
    {"GET", "/api/v1/enterprises/mine", ROLE_ENTERPRISE, h_enterprises_mine, "本企业资料"},
    {"GET", "/api/v1/enterprises/{id}", NOT_PROVIDER, h_enterprises_get, "企业详情"},
    {"PATCH", "/api/v1/enterprises/{id}", ROLE_ENTERPRISE, h_enterprises_patch, "填写企业资料"},
    {"POST", "/api/v1/enterprises/{id}/submit", ROLE_ENTERPRISE, h_enterprises_submit,
     "提交审核"},
    {"POST", "/api/v1/enterprises/{id}/approve", ROLE_COUNTY_IT, h_enterprises_approve,
     "审核通过"},
    {"POST", "/api/v1/enterprises/{id}/reject", ROLE_COUNTY_IT, h_enterprises_reject, "退回"},
    {"POST", "/api/v1/enterprises/batch-approve", ROLE_COUNTY_IT, h_enterprises_batch_approve,
     "集中审核"},
    {"GET", "/api/v1/providers", NOT_ENTERPRISE, h_providers_list, "云服务商列表"},
    {"GET", "/api/v1/providers/mine", ROLE_PROVIDER, h_providers_mine, "本服务商资料"},
    {"GET", "/api/v1/providers/{id}", NOT_ENTERPRISE, h_providers_get, "云服务商详情"},
    {"PATCH", "/api/v1/providers/{id}", ROLE_PROVIDER, h_providers_patch, "填写服务商资料"},
    {"POST", "/api/v1/providers/{id}/submit", ROLE_PROVIDER, h_providers_submit, "提交审核"},
    {"POST", "/api/v1/providers/{id}/approve", ROLE_CITY_IT, h_providers_approve, "审核通过"},
    {"POST", "/api/v1/providers/{id}/reject", ROLE_CITY_IT, h_providers_reject, "退回"},
    {"GET", "/api/v1/public/reference-catalog", ROLE_PUBLIC, h_reference_catalog,
     "参考服务目录（附件2）"},
    {"GET", "/api/v1/public/catalog", ROLE_PUBLIC, h_public_catalog, "已发布的服务目录"},
    {"GET", "/api/v1/public/providers", ROLE_PUBLIC, h_public_providers, "云服务商名录"},
    {"GET", "/api/v1/public/providers/{id}", ROLE_PUBLIC, h_public_provider, "云服务商主页"},
    {"GET", "/api/v1/catalog-items", CATALOG_READERS, h_catalog_list, "目录产品列表（审核队列）"},
    {"POST", "/api/v1/catalog-items", ROLE_PROVIDER, h_catalog_create, "提交目录产品"},
    {"GET", "/api/v1/catalog-items/{id}", CATALOG_READERS, h_catalog_get, "目录产品及其版本"},
    {"PATCH", "/api/v1/catalog-items/{id}", ROLE_PROVIDER, h_catalog_patch,
     "修改目录产品（生成新版本）"},
    {"POST", "/api/v1/catalog-items/{id}/publish", ROLE_CITY_IT, h_catalog_publish, "发布"},
    {"POST", "/api/v1/catalog-items/{id}/reject", ROLE_CITY_IT, h_catalog_reject, "退回"},
    {"POST", "/api/v1/catalog-items/{id}/withdraw", ROLE_PROVIDER | ROLE_CITY_IT,
     h_catalog_withdraw, "下架"},
    {"GET", "/api/v1/public/negative-list", ROLE_PUBLIC, h_public_negative_list,
     "信用负面清单（公开）"},
    {"GET", "/api/v1/negative-list", ROLE_CITY_IT | ROLE_AUDITOR | ROLE_ADMIN, h_negative_list,
     "信用负面清单（含证据与已移出记录）"},
    {"POST", "/api/v1/negative-list", ROLE_CITY_IT, h_negative_list_add, "列入负面清单"},
    {"POST", "/api/v1/negative-list/{id}/lift", ROLE_CITY_IT, h_negative_list_lift,
     "移出负面清单"},
};

const size_t api_route_count = sizeof api_routes / sizeof api_routes[0];
