/* The business licence (营业执照) that comes with a registration, checked
 * and stored by service/files.c; fetched only by the party itself and its
 * reviewers. */
#include "core/clock.h"
#include "core/registration.h"
#include "core/roles.h"
#include "core/status.h"
#include "service/files.h"
#include "service/parties.h"
#include "service/parties_internal.h"
#include "service/tx.h"
#include "store/audit.h"
#include "store/parties.h"
#include "store/party_files.h"
#include "store/rows.h"

#include <string.h>

static const char *kind_of(enum party_kind k)
{
    return k == PARTY_ENTERPRISE ? "enterprise" : "provider";
}

static int not_found(struct problem *p)
{
    return problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "营业执照不存在");
}

/* Another's record answers as one that does not exist. */
static int party_not_found(struct problem *p, enum party_kind k)
{
    return problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "%s不存在",
                       k == PARTY_ENTERPRISE ? "企业" : "云服务商");
}

/* The party's own account, or one of its reviewers. */
static bool may_fetch(const struct actor *a, enum party_kind k, json_t *r)
{
    if (strcmp(rows_str(r, "user_id"), a->user.id) == 0) return true;
    if (a->role & ROLE_CITY_IT) return true;
    return k == PARTY_ENTERPRISE && (a->role & ROLE_COUNTY_IT) &&
           actor_in_county(a, rows_str(r, "county_code"));
}

struct licence_put {
    const struct actor *actor;
    enum party_kind k;
    const char *id;
    struct party_licence l;
};

static int put_run(struct db *db, void *ctx, struct problem *p)
{
    struct licence_put *x = ctx;
    json_t *r = NULL;
    int rc = parties_get(db, parties_table(x->k), x->id, &r);
    if (rc == YQ_ENOTFOUND ||
        (rc == YQ_OK && strcmp(rows_str(r, "user_id"), x->actor->user.id) != 0)) {
        json_decref(r);
        return party_not_found(p, x->k);
    }
    if (rc != YQ_OK) return problem_db_error(p);
    enum reg_state st = reg_parse(rows_str(r, "status"));
    json_decref(r);
    if (st != REG_DRAFT && !reg_awaiting_review(st) && st != REG_REJECTED)
        return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "当前状态（%s）不能更换营业执照",
                           reg_name_zh(st));
    json_t *before = NULL;
    rc = party_licence_get(db, x->id, &before);
    if (rc != YQ_OK && rc != YQ_ENOTFOUND) return problem_db_error(p);
    rc = party_licence_put(db, &x->l);
    json_t *after =
        json_pack("{s:s, s:s, s:s, s:I}", "sha256", x->l.sha256, "filename", x->l.filename,
                  "content_type", x->l.content_type, "size", (json_int_t)x->l.size);
    if (rc == YQ_OK) rc = parties_audit_change(db, x->actor, x->k, x->id, "licence", before, after);
    json_decref(before);
    json_decref(after);
    return rc == YQ_OK ? YQ_OK : problem_db_error(p);
}

json_t *parties_licence_put(struct db *db, const struct actor *a, enum party_kind k, const char *id,
                            const char *data_dir, const char *filename, const void *data,
                            size_t len, struct problem *p)
{
    if (len > (size_t)LICENCE_MAX) {
        problem_set(p, YQ_ELIMIT, "file_too_large", "file", "营业执照不能超过 10 MB");
        return NULL;
    }
    /* Refused early (cheap) when the record is not the caller's: nothing
     * is stored. Decided again inside the transaction. */
    json_t *r = NULL;
    int rc = parties_get(db, parties_table(k), id, &r);
    bool mine = rc == YQ_OK && strcmp(rows_str(r, "user_id"), a->user.id) == 0;
    json_decref(r);
    if (rc != YQ_OK && rc != YQ_ENOTFOUND) {
        problem_db_error(p);
        return NULL;
    }
    if (!mine) {
        party_not_found(p, k);
        return NULL;
    }
    char hash[65], clean_name[256];
    const char *type;
    if (files_accept(data_dir, filename, data, len, hash, &type, clean_name, p) != YQ_OK)
        return NULL;
    int64_t now = clock_now_ms();
    struct licence_put x = {
        a, k, id, {id, kind_of(k), hash, clean_name, type, (int64_t)len, a->user.username, now}};
    if (service_tx(db, put_run, &x, p) != YQ_OK) return NULL;
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:I, s:I}", "sha256", hash, "filename", clean_name,
                  "content_type", type, "size", (json_int_t)len, "uploaded_at", (json_int_t)now);
    rows_instants(o, "uploaded_at", NULL);
    return o;
}

int parties_licence_open(struct db *db, const struct actor *a, enum party_kind k, const char *id,
                         const char *data_dir, char content_type[64], char filename[256],
                         struct problem *p)
{
    json_t *r = NULL, *l = NULL;
    int rc = parties_get(db, parties_table(k), id, &r);
    if (rc == YQ_OK && !may_fetch(a, k, r)) rc = YQ_ENOTFOUND;
    json_decref(r);
    if (rc == YQ_OK) rc = party_licence_get(db, id, &l);
    if (rc == YQ_ENOTFOUND) {
        not_found(p);
        return -1;
    }
    if (rc != YQ_OK) {
        problem_db_error(p);
        return -1;
    }
    rows_copy(content_type, 64, rows_str(l, "content_type"));
    rows_copy(filename, 256, rows_str(l, "filename"));
    char sha[65];
    rows_copy(sha, sizeof sha, rows_str(l, "sha256"));
    json_decref(l);
    return files_open(data_dir, sha, p);
}

int parties_licence_render(struct db *db, const struct actor *a, enum party_kind k, json_t *r,
                           json_t *o)
{
    if (!may_fetch(a, k, r)) return YQ_OK;
    json_t *l = NULL;
    int rc = party_licence_get(db, rows_str(r, "id"), &l);
    if (rc == YQ_ENOTFOUND) return YQ_OK;
    if (rc != YQ_OK) return rc;
    json_object_del(l, "sha256");
    rows_instants(l, "uploaded_at", NULL);
    json_object_set_new(o, "licence", l);
    return YQ_OK;
}
