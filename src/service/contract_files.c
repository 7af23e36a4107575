/* Contract attachments (SPEC §5), checked and stored by service/files.c;
 * readable only by those who may see the contract. */
#include "core/clock.h"
#include "core/status.h"
#include "core/validate.h"
#include "service/contracts.h"
#include "service/files.h"
#include "store/audit.h"
#include "store/id.h"
#include "service/tx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The attachment's transaction: the contract's state is read in it, so a
 * contract cancelled meanwhile gains nothing. */
struct attach {
    const struct actor *actor;
    const char *id, *hash, *filename, *type;
    size_t len;
    int64_t at;
    bool added;          /* out: false when the file was attached already */
    char stored[256];    /* out: then, the name it was attached under */
    char stored_type[64];
};

static int attach_run(struct db *db, void *ctx, struct problem *p)
{
    struct attach *x = ctx;
    const struct actor *a = x->actor;
    struct contract c;
    char side;
    if (contracts_load(db, a, x->id, &c, &side, p) != YQ_OK) return p->status;
    if (side != 'e' && side != 'p')
        return problem_set(p, YQ_EFORBIDDEN, "forbidden", NULL, "只有合同双方可以上传附件");
    if (c.state != CONTRACT_DRAFT && c.state != CONTRACT_CONFIRMED)
        return problem_set(p, YQ_ECONFLICT, "invalid_state", NULL,
                           "已撤销或终止的合同不能再上传附件");
    int rc = contract_attachment_add(db, x->id, x->hash, x->filename, x->type, (int64_t)x->len,
                                     a->user.username, x->at, &x->added);
    if (rc == YQ_OK && !x->added)
        rc = contract_attachment_get(db, x->id, x->hash, x->stored_type, x->stored);
    if (rc != YQ_OK || !x->added) return rc;
    json_t *row =
        json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:I}", "contract_id", x->id, "sha256", x->hash,
                  "filename", x->filename, "content_type", x->type, "size", (json_int_t)x->len,
                  "uploaded_by", a->user.username, "uploaded_at", (json_int_t)x->at);
    struct audit_actor who = actor_audit(a);
    rc = audit_append(db, &who, "contract", x->id, "attach", NULL, row);
    json_decref(row);
    return rc;
}

json_t *contracts_attach(struct db *db, const struct actor *a, const char *id, const char *data_dir,
                         const char *filename, const void *data, size_t len, struct problem *p)
{
    /* Refused early (cheap) when the caller is no party: nothing is stored. */
    if (a->role != ROLE_ENTERPRISE && a->role != ROLE_PROVIDER) {
        struct contract c;
        char side;
        if (contracts_load(db, a, id, &c, &side, p) != YQ_OK) return NULL;
        problem_set(p, YQ_EFORBIDDEN, "forbidden", NULL, "只有合同双方可以上传附件");
        return NULL;
    }
    char hash[65], clean_name[256];
    const char *type;
    if (files_accept(data_dir, filename, data, len, hash, &type, clean_name, p) != YQ_OK)
        return NULL;
    struct attach x = {.actor = a, .id = id, .hash = hash, .filename = clean_name,
                       .type = type, .len = len, .at = clock_now_ms()};
    if (service_tx(db, attach_run, &x, p) != YQ_OK) return NULL;
    /* The same file again (by its SHA-256): nothing is added, and the
     * answer says so and gives the name it is listed under. */
    return json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:b}", "contract_id", id, "sha256", hash,
                     "filename", x.added ? clean_name : x.stored, "content_type",
                     x.added ? type : x.stored_type, "size", (json_int_t)len, "uploaded_by",
                     a->user.username, "already_attached", !x.added);
}

int contracts_attachment_open(struct db *db, const struct actor *a, const char *id,
                              const char *sha256, const char *data_dir, char content_type[64],
                              char filename[256], struct problem *p)
{
    struct contract c;
    char side;
    if (contracts_load(db, a, id, &c, &side, p) != YQ_OK) return -1;
    int rc = contract_attachment_get(db, id, sha256, content_type, filename);
    if (rc == YQ_ENOTFOUND) {
        problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "附件不存在");
        return -1;
    }
    if (rc != YQ_OK) {
        problem_db_error(p);
        return -1;
    }
    return files_open(data_dir, sha256, p);
}
