/* The header's global search (see search.h). */
#include "service/search.h"
#include "core/status.h"
#include "core/validate.h"
#include "service/scope.h"
#include "store/search.h"

#include <string.h>

json_t *search_records(struct db *db, const struct actor *a, const char *q, struct problem *p)
{
    /* Characters, not bytes: "济宁" is two; text that is not UTF-8 is refused. */
    long chars = q ? utf8_length(q) : 0;
    if (chars < 0) {
        problem_set(p, YQ_EINVAL, "invalid_field", "q", "关键词 q 须为 UTF-8 文本");
        return NULL;
    }
    if (chars < 2) {
        problem_set(p, YQ_EINVAL, "invalid_field", "q", "请输入至少 2 个字的关键词 q");
        return NULL;
    }
    if (strlen(q) > 100) {
        problem_set(p, YQ_EINVAL, "invalid_field", "q", "关键词 q 过长（至多 100 字节）");
        return NULL;
    }
    struct row_scope scope;
    const char *one;
    actor_row_scope(a, &scope, &one);
    static const struct {
        const char *kind, *label;
        json_t *(*find)(struct db *, const struct row_scope *, const char *, int64_t);
    } kinds[] = {
        {"voucher", "云服务券", search_vouchers},
        {"contract", "合同", search_contracts},
        {"enterprise", "企业", search_enterprises},
        {"provider", "服务商", search_providers},
    };
    json_t *groups = json_array();
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        /* One more than shown tells whether there are more. */
        json_t *items = kinds[i].find(db, &scope, q, SEARCH_PER_KIND + 1);
        if (!items) {
            json_decref(groups);
            problem_db_error(p);
            return NULL;
        }
        bool more = json_array_size(items) > SEARCH_PER_KIND;
        if (more) json_array_remove(items, SEARCH_PER_KIND);
        json_array_append_new(groups, json_pack("{s:s, s:s, s:o, s:b}", "kind", kinds[i].kind,
                                                "label", kinds[i].label, "items", items, "more",
                                                more));
    }
    return json_pack("{s:s, s:o}", "q", q, "groups", groups);
}
