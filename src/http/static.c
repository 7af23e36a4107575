/* Static files of the built web UI. Hashed assets (under /assets/) are
 * cached for a year; everything else is revalidated. Unknown paths that do
 * not look like files fall back to index.html (client-side routing).
 * Files are opened beneath the web root without following any symbolic
 * link: openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) where the kernel
 * has it (Linux 5.6), else one component at a time with O_NOFOLLOW. */
#include "http/server.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

static const char *content_type_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".ttf", "font/ttf"},
        {".txt", "text/plain; charset=utf-8"},
        {".map", "application/json; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

static bool safe_path(const char *path)
{
    if (path[0] != '/') return false;
    for (const char *p = path; *p; p++) {
        if (p[0] == '/' && p[1] == '.') return false; /* no .. and no dotfiles */
        if (*p == '\\') return false;
    }
    return strlen(path) < 512;
}

/* Opens rel ("assets/app.js") beneath the directory dirfd, one component
 * at a time, refusing symbolic links anywhere on the way. */
static int open_walk(int dirfd, const char *rel)
{
    char part[256];
    int dir = dirfd;
    const char *p = rel;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n >= sizeof part) goto fail;
        memcpy(part, p, n);
        part[n] = '\0';
        if (!slash) {
            int fd = openat(dir, part, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
            if (dir != dirfd) close(dir);
            return fd;
        }
        if (n > 0) {
            int next = openat(dir, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (dir != dirfd) close(dir);
            dir = next;
            if (dir < 0) return -1;
        }
        p = slash + 1;
    }
fail:
    if (dir != dirfd) close(dir);
    errno = ENAMETOOLONG;
    return -1;
}

/* YUNQUAN_NO_OPENAT2=1 takes the component walk (tests of the fallback). */
static int open_beneath(int dirfd, const char *rel)
{
#ifdef SYS_openat2
    static atomic_int use_openat2 = -1; /* worker threads race to set it alike */
    if (atomic_load(&use_openat2) < 0) {
        const char *off = getenv("YUNQUAN_NO_OPENAT2");
        atomic_store(&use_openat2, !(off && strcmp(off, "1") == 0));
    }
    if (atomic_load(&use_openat2)) {
        struct open_how how = {
            .flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC,
            .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
        };
        long fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof how);
        if (fd >= 0 || (errno != ENOSYS && errno != EPERM)) return (int)fd;
        atomic_store(&use_openat2, 0); /* an old kernel, or a seccomp filter */
    }
#endif
    return open_walk(dirfd, rel);
}

static bool open_file(struct request *req, const char *web_root, const char *rel)
{
    int root = open(web_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) return false;
    int fd = open_beneath(root, rel + 1); /* without the leading '/' */
    close(root);
    if (fd < 0) return false;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return false;
    }
    req->fd = fd;
    req->fd_size = sb.st_size;
    req->status = 200;
    req->replied = true;
    req->content_type = content_type_of(rel);
    if (strncmp(rel, "/assets/", 8) == 0)
        http_add_header(req, "Cache-Control", "public, max-age=31536000, immutable");
    else
        http_add_header(req, "Cache-Control", "no-cache");
    return true;
}

bool static_serve(struct request *req, const char *web_root)
{
    if (!web_root) return false;
    if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) return false;
    const char *path = req->path;
    if (!safe_path(path)) return false;
    if (strcmp(path, "/") != 0) {
        if (open_file(req, web_root, path)) return true;
        /* A missing file with an extension is a real 404, not a route. */
        const char *slash = strrchr(path, '/');
        if (strchr(slash, '.')) return false;
    }
    return open_file(req, web_root, "/index.html");
}
