/* Uploaded evidence files (see files.h). */
#include "service/files.h"
#include "core/status.h"
#include "core/validate.h"
#include "store/id.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Writes the file once under its hash. Returns 0, or the errno of the
 * step that failed (the temporary file is removed). */
static int store_file(const char *data_dir, const char *hash, const void *data, size_t len)
{
    char dir[1024], path[1100], tmp[1200];
    snprintf(dir, sizeof dir, "%s/attachments/%.2s", data_dir, hash);
    snprintf(path, sizeof path, "%s/%s", dir, hash);
    struct stat sb;
    if (stat(path, &sb) == 0 && (size_t)sb.st_size == len) return 0; /* stored already */
    if (mkdirs(dir) != 0) return errno;
    char nonce[17];
    id_random_hex(nonce, 8); /* two threads storing the same file never share a temporary */
    snprintf(tmp, sizeof tmp, "%s.%s.tmp", path, nonce);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) return errno;
    const char *p = data;
    size_t left = len;
    int err = 0;
    while (left > 0 && !err) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            err = w < 0 ? errno : ENOSPC;
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (!err && fsync(fd) != 0) err = errno;
    if (close(fd) != 0 && !err) err = errno;
    if (!err && rename(tmp, path) != 0) err = errno;
    if (err) unlink(tmp);
    return err;
}

int files_accept(const char *data_dir, const char *filename, const void *data, size_t len,
                 char hash[65], const char **type, char clean_name[256], struct problem *p)
{
    if (len == 0) return problem_set(p, YQ_EINVAL, "missing_field", "file", "请选择要上传的文件");
    if (len > FILES_MAX)
        return problem_set(p, YQ_ELIMIT, "file_too_large", "file", "附件不能超过 20 MB");
    *type = sniff(data, len);
    if (!*type)
        return problem_set(p, YQ_EINVAL, "unsupported_file", "file",
                           "只接受 PDF、JPEG 或 PNG 文件（按文件内容识别，不看扩展名）");
    utf8_sanitize(clean_name, 256, filename && filename[0] ? filename : "附件");
    for (char *s = clean_name; *s; s++)
        if (*s == '/' || *s == '\\' || (unsigned char)*s < 0x20) *s = '_';
    id_sha256_hex(data, len, hash);
    int err = store_file(data_dir, hash, data, len);
    if (err == ENOSPC || err == EDQUOT) return problem_storage(p, YQ_ENOSPACE);
    if (err == EIO) return problem_storage(p, YQ_EIO);
    if (err) return problem_set(p, YQ_ERR, "storage", NULL, "附件保存失败，请稍后再试");
    return YQ_OK;
}

int files_open(const char *data_dir, const char *sha256, struct problem *p)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/attachments/%.2s/%s", data_dir, sha256, sha256);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) problem_set(p, YQ_ERR, "storage", NULL, "附件文件缺失");
    return fd;
}
