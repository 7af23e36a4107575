/* Contract attachments (SPEC §5): PDF, JPEG or PNG recognised by their
 * first bytes, not by their names; at most 20 MiB; stored once under the
 * data folder by SHA-256 (written to a temporary file, synced, renamed);
 * readable only by those who may see the contract. */
#include "core/clock.h"
#include "core/status.h"
#include "core/validate.h"
#include "service/contracts.h"
#include "store/audit.h"
#include "store/id.h"
#include "service/tx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ATTACHMENT_MAX (20L * 1024 * 1024)

static const char *sniff(const unsigned char *d, size_t n)
{
    if (n >= 5 && memcmp(d, "%PDF-", 5) == 0) return "application/pdf";
    if (n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff) return "image/jpeg";
    if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) return "image/png";
    return NULL;
}

static int mkdirs(const char *path)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *s = tmp + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(tmp, 0750) != 0 && errno != EEXIST) return -1;
        *s = '/';
    }
    return (mkdir(tmp, 0750) != 0 && errno != EEXIST) ? -1 : 0;
}

static int store_file(const char *data_dir, const char *hash, const void *data, size_t len)
{
    char dir[1024], path[1100], tmp[1200];
    snprintf(dir, sizeof dir, "%s/attachments/%.2s", data_dir, hash);
    snprintf(path, sizeof path, "%s/%s", dir, hash);
    struct stat sb;
    if (stat(path, &sb) == 0 && (size_t)sb.st_size == len) return 0; /* stored already */
    if (mkdirs(dir) != 0) return -1;
    snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) return -1;
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            close(fd);
            unlink(tmp);
            return -1;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* The attachment's transaction: the contract's state is read in it, so a
 * contract cancelled meanwhile gains nothing. */
struct attach {
    const struct actor *actor;
    const char *id, *hash, *filename, *type;
    size_t len;
    int64_t at;
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
    bool added;
    int rc = contract_attachment_add(db, x->id, x->hash, x->filename, x->type, (int64_t)x->len,
                                     a->user.username, x->at, &added);
    if (rc != YQ_OK || !added) return rc;
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
    if (len == 0) {
        problem_set(p, YQ_EINVAL, "missing_field", "file", "请选择要上传的文件");
        return NULL;
    }
    if (len > ATTACHMENT_MAX) {
        problem_set(p, YQ_ELIMIT, "file_too_large", "file", "附件不能超过 20 MB");
        return NULL;
    }
    const char *type = sniff(data, len);
    if (!type) {
        problem_set(p, YQ_EINVAL, "unsupported_file", "file",
                    "只接受 PDF、JPEG 或 PNG 文件（按文件内容识别，不看扩展名）");
        return NULL;
    }
    char clean_name[256];
    utf8_sanitize(clean_name, sizeof clean_name, filename && filename[0] ? filename : "附件");
    for (char *s = clean_name; *s; s++)
        if (*s == '/' || *s == '\\' || (unsigned char)*s < 0x20) *s = '_';
    char hash[65];
    id_sha256_hex(data, len, hash);
    /* Content-addressed: a file written for a request that then fails is
     * harmless (no row names it) and is reused by the next upload. */
    if (store_file(data_dir, hash, data, len) != 0) {
        problem_set(p, YQ_ERR, "storage", NULL, "附件保存失败，请稍后再试");
        return NULL;
    }
    struct attach x = {a, id, hash, clean_name, type, len, clock_now_ms()};
    if (service_tx(db, attach_run, &x, p) != YQ_OK) return NULL;
    return json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "contract_id", id, "sha256", hash,
                     "filename", clean_name, "content_type", type, "size", (json_int_t)len,
                     "uploaded_by", a->user.username);
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
    char path[1100];
    snprintf(path, sizeof path, "%s/attachments/%.2s/%s", data_dir, sha256, sha256);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) problem_set(p, YQ_ERR, "storage", NULL, "附件文件缺失");
    return fd;
}
