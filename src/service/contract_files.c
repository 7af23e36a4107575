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
#include "store/rows.h"

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

json_t *contracts_attach(struct db *db, const struct actor *a, const char *id,
                         const char *data_dir, const char *filename, const void *data,
                         size_t len, struct problem *p)
{
    json_t *c = contracts_read(db, a, id, p);
    if (!c) return NULL;
    bool party = a->role == ROLE_ENTERPRISE || a->role == ROLE_PROVIDER;
    const char *status = json_string_value(json_object_get(c, "status"));
    bool open = status && (strcmp(status, "draft") == 0 || strcmp(status, "confirmed") == 0);
    json_decref(c);
    if (!party) {
        problem_set(p, YQ_EFORBIDDEN, "forbidden", NULL, "只有合同双方可以上传附件");
        return NULL;
    }
    if (!open) {
        problem_set(p, YQ_ECONFLICT, "invalid_state", NULL, "已撤销或终止的合同不能再上传附件");
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
    if (store_file(data_dir, hash, data, len) != 0) {
        problem_set(p, YQ_ERR, "storage", NULL, "附件保存失败，请稍后再试");
        return NULL;
    }
    if (db_begin(db, true) != YQ_OK) {
        problem_set(p, YQ_EBUSY, "busy", NULL, "系统繁忙，请稍后再试");
        return NULL;
    }
    int64_t exists = 0;
    int rc = rows_int(db, &exists, "SELECT COUNT(*) FROM contract_attachments WHERE contract_id = ?"
                                   " AND sha256 = ?", "tt", id, hash);
    json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:I}", "contract_id", id, "sha256",
                            hash, "filename", clean_name, "content_type", type, "size",
                            (json_int_t)len, "uploaded_by", a->user.username, "uploaded_at",
                            (json_int_t)clock_now_ms());
    struct audit_actor who = actor_audit(a);
    if (rc == YQ_OK && !exists) {
        rc = rows_insert(db, "contract_attachments", row);
        if (rc == YQ_OK) rc = audit_append(db, &who, "contract", id, "attach", NULL, row);
    }
    if (rc != YQ_OK || db_commit(db) != YQ_OK) {
        db_rollback(db);
        json_decref(row);
        problem_set(p, YQ_ERR, "internal", NULL, "数据库错误");
        return NULL;
    }
    json_object_del(row, "uploaded_at");
    return row;
}

int contracts_attachment_open(struct db *db, const struct actor *a, const char *id,
                              const char *sha256, const char *data_dir, char content_type[64],
                              char filename[256], struct problem *p)
{
    json_t *c = contracts_read(db, a, id, p);
    if (!c) return -1;
    json_decref(c);
    json_t *row = NULL;
    if (rows_one(db, &row, "SELECT filename, content_type FROM contract_attachments WHERE"
                           " contract_id = ? AND sha256 = ?", "tt", id, sha256) != YQ_OK) {
        problem_set(p, YQ_ENOTFOUND, "not_found", NULL, "附件不存在");
        return -1;
    }
    snprintf(content_type, 64, "%s", json_string_value(json_object_get(row, "content_type")));
    snprintf(filename, 256, "%s", json_string_value(json_object_get(row, "filename")));
    json_decref(row);
    char path[1100];
    snprintf(path, sizeof path, "%s/attachments/%.2s/%s", data_dir, sha256, sha256);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) problem_set(p, YQ_ERR, "storage", NULL, "附件文件缺失");
    return fd;
}
