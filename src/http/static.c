/* Static files of the built web UI. Hashed assets (under /assets/) are
 * cached for a year; everything else is revalidated. Unknown paths that do
 * not look like files fall back to index.html (client-side routing). */
#include "http/server.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static bool open_file(struct request *req, const char *full, const char *rel)
{
    int fd = open(full, O_RDONLY | O_CLOEXEC);
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
    char full[1024];
    if (strcmp(path, "/") != 0) {
        snprintf(full, sizeof full, "%s%s", web_root, path);
        if (open_file(req, full, path)) return true;
        /* A missing file with an extension is a real 404, not a route. */
        const char *slash = strrchr(path, '/');
        if (strchr(slash, '.')) return false;
    }
    snprintf(full, sizeof full, "%s/index.html", web_root);
    return open_file(req, full, "/index.html");
}
