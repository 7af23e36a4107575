/* rush: an HTTP/1.1 load generator for the voucher rush (issue 12) that is
 * not the bottleneck. One thread, epoll, C keep-alive connections, each
 * with one request in flight; the requests are the lines of a file (a path
 * each, e.g. /api/v1/contracts/ID/confirm), sent in file order (request k
 * goes out before request k+1 on whichever connection is free first), or
 * one path repeated N times (--repeat, the capacity run against /healthz).
 *
 *   rush --port P [--host 127.0.0.1] [-c 64] [-m POST] [-H 'Name: value']...
 *        (--paths FILE | --repeat N --path /healthz) [--out FILE]
 *
 * Prints one line: requests, seconds, requests/s, p50/p99/max latency in
 * ms and the count of each status; --out writes "index status latency_us
 * sent_order" per request for the caller to check (FIFO, failures). A
 * request whose connection fails is retried on a new connection only if
 * nothing of its answer came back; otherwise it counts as status 0. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEADERS 16
#define RBUF 65536

struct conn {
    int fd;
    long req;        /* index of the request in flight, -1 when idle */
    int64_t sent_ns; /* when it was written */
    char *out;       /* the request's bytes */
    size_t out_len, out_off;
    char in[RBUF];
    size_t in_len;
};

struct result {
    int status;
    int64_t latency_us;
    long order; /* the n-th request sent */
};

static const char *host = "127.0.0.1", *method = "POST", *path_one = "/healthz";
static int port, nconn = 64;
static const char *headers[MAX_HEADERS];
static int nheaders;
static char **paths;
static long npaths, next_req, sent, done;
static struct result *results;
static int ep;

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void die(const char *what)
{
    perror(what);
    exit(2);
}

static int open_conn(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
        fprintf(stderr, "rush: bad --host %s\n", host);
        exit(2);
    }
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) die("connect");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

static void watch(struct conn *c, uint32_t events, int op)
{
    struct epoll_event e = {.events = events, .data.ptr = c};
    if (epoll_ctl(ep, op, c->fd, &e) != 0) die("epoll_ctl");
}

static const char *path_of(long k)
{
    return paths ? paths[k] : path_one;
}

static void build_request(struct conn *c, long k)
{
    size_t cap = 512 + strlen(path_of(k));
    for (int h = 0; h < nheaders; h++)
        cap += strlen(headers[h]) + 2;
    free(c->out);
    c->out = malloc(cap);
    if (!c->out) die("malloc");
    int n =
        snprintf(c->out, cap, "%s %s HTTP/1.1\r\nHost: %s:%d\r\n", method, path_of(k), host, port);
    for (int h = 0; h < nheaders; h++)
        n += snprintf(c->out + n, cap - (size_t)n, "%s\r\n", headers[h]);
    bool body = strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
    n += snprintf(c->out + n, cap - (size_t)n, "%s\r\n", body ? "Content-Length: 0\r\n" : "");
    c->out_len = (size_t)n;
    c->out_off = 0;
}

/* Writes what it can of the current request; false on a broken socket. */
static bool flush_out(struct conn *c)
{
    while (c->out_off < c->out_len) {
        ssize_t w = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
        if (w < 0 && errno == EAGAIN) {
            watch(c, EPOLLIN | EPOLLOUT, EPOLL_CTL_MOD);
            return true;
        }
        if (w <= 0) return false;
        c->out_off += (size_t)w;
    }
    watch(c, EPOLLIN, EPOLL_CTL_MOD);
    return true;
}

static void start_next(struct conn *c)
{
    if (next_req >= npaths) {
        c->req = -1;
        return;
    }
    c->req = next_req++;
    results[c->req].order = sent++;
    build_request(c, c->req);
    c->sent_ns = now_ns();
    c->in_len = 0;
    if (!flush_out(c)) { /* reconnect once and resend */
        close(c->fd);
        c->fd = open_conn();
        watch(c, EPOLLIN, EPOLL_CTL_ADD);
        c->out_off = 0;
        if (!flush_out(c)) die("write");
    }
}

/* A complete answer in c->in: its length, or 0 when more is needed. */
static size_t answer_length(struct conn *c, int *status, bool *close_after)
{
    char *end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
    if (!end) return 0;
    size_t head = (size_t)(end - c->in) + 4;
    *status = atoi(c->in + 9);
    long length = -1;
    *close_after = false;
    for (char *line = strstr(c->in, "\r\n") + 2; line < end; line = strstr(line, "\r\n") + 2) {
        if (strncasecmp(line, "Content-Length:", 15) == 0) length = atol(line + 15);
        if (strncasecmp(line, "Connection:", 11) == 0 && strcasestr(line, "close") &&
            strcasestr(line, "close") < strstr(line, "\r\n"))
            *close_after = true;
        if (strncasecmp(line, "Transfer-Encoding:", 18) == 0) {
            fprintf(stderr, "rush: chunked answers are not supported\n");
            exit(2);
        }
    }
    if (length < 0) length = 0;
    if (head + (size_t)length > sizeof c->in) {
        fprintf(stderr, "rush: an answer larger than %d bytes\n", RBUF);
        exit(2);
    }
    return c->in_len >= head + (size_t)length ? head + (size_t)length : 0;
}

static void on_readable(struct conn *c)
{
    for (;;) {
        ssize_t r = read(c->fd, c->in + c->in_len, sizeof c->in - c->in_len);
        if (r < 0 && errno == EAGAIN) return;
        if (r <= 0) { /* closed: the request in flight failed */
            if (c->req >= 0) {
                results[c->req].status = 0;
                results[c->req].latency_us = (now_ns() - c->sent_ns) / 1000;
                done++;
            }
            close(c->fd);
            c->fd = open_conn();
            watch(c, EPOLLIN, EPOLL_CTL_ADD);
            start_next(c);
            return;
        }
        if (c->req < 0) { /* nothing asked: not an answer */
            c->in_len = 0;
            continue;
        }
        c->in_len += (size_t)r;
        int status;
        bool close_after;
        size_t len = answer_length(c, &status, &close_after);
        if (!len) continue;
        results[c->req].status = status;
        results[c->req].latency_us = (now_ns() - c->sent_ns) / 1000;
        done++;
        if (close_after) {
            epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
            close(c->fd);
            c->fd = open_conn();
            watch(c, EPOLLIN, EPOLL_CTL_ADD);
        }
        start_next(c);
        return;
    }
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void read_paths(const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f) die(file);
    size_t cap = 1024;
    paths = malloc(cap * sizeof *paths);
    char *line = NULL;
    size_t n = 0;
    ssize_t len;
    while ((len = getline(&line, &n, f)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (!len) continue;
        if ((size_t)npaths == cap) paths = realloc(paths, (cap *= 2) * sizeof *paths);
        paths[npaths++] = strdup(line);
    }
    free(line);
    fclose(f);
}

int main(int argc, char **argv)
{
    const char *out = NULL, *file = NULL;
    long repeat = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) goto usage;
        if (strcmp(a, "--host") == 0)
            host = v;
        else if (strcmp(a, "--port") == 0)
            port = atoi(v);
        else if (strcmp(a, "-c") == 0 || strcmp(a, "--connections") == 0)
            nconn = atoi(v);
        else if (strcmp(a, "-m") == 0 || strcmp(a, "--method") == 0)
            method = v;
        else if (strcmp(a, "-H") == 0 && nheaders < MAX_HEADERS)
            headers[nheaders++] = v;
        else if (strcmp(a, "--paths") == 0)
            file = v;
        else if (strcmp(a, "--repeat") == 0)
            repeat = atol(v);
        else if (strcmp(a, "--path") == 0)
            path_one = v;
        else if (strcmp(a, "--out") == 0)
            out = v;
        else
            goto usage;
        i++;
    }
    if (!port || nconn < 1 || (!file && repeat < 1)) goto usage;
    if (file)
        read_paths(file);
    else
        npaths = repeat;
    results = calloc((size_t)npaths, sizeof *results);
    if (!results) die("calloc");
    if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0) die("epoll_create1");
    if (nconn > npaths) nconn = (int)npaths;
    struct conn *conns = calloc((size_t)nconn, sizeof *conns);
    for (int k = 0; k < nconn; k++) {
        conns[k].fd = open_conn();
        conns[k].req = -1;
        watch(&conns[k], EPOLLIN, EPOLL_CTL_ADD);
    }
    int64_t t0 = now_ns();
    for (int k = 0; k < nconn; k++)
        start_next(&conns[k]);
    struct epoll_event ev[256];
    while (done < npaths) {
        int n = epoll_wait(ep, ev, 256, 60000);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            fprintf(stderr, "rush: no answer for 60 s (%ld of %ld done)\n", done, npaths);
            return 2;
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = ev[i].data.ptr;
            if (ev[i].events & EPOLLOUT && c->req >= 0 && c->out_off < c->out_len) flush_out(c);
            if (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) on_readable(c);
        }
    }
    double secs = (double)(now_ns() - t0) / 1e9;
    int64_t *lat = malloc((size_t)npaths * sizeof *lat);
    long by_status[600] = {0};
    for (long k = 0; k < npaths; k++) {
        lat[k] = results[k].latency_us;
        int s = results[k].status;
        by_status[s >= 0 && s < 600 ? s : 0]++;
    }
    qsort(lat, (size_t)npaths, sizeof *lat, cmp_i64);
    printf("requests %ld seconds %.3f rate %.1f p50_ms %.2f p99_ms %.2f max_ms %.2f", npaths, secs,
           (double)npaths / secs, (double)lat[npaths / 2] / 1000.0,
           (double)lat[(npaths * 99 - 1) / 100] / 1000.0, (double)lat[npaths - 1] / 1000.0);
    for (int s = 0; s < 600; s++)
        if (by_status[s]) printf(" status_%d %ld", s, by_status[s]);
    printf(" connections %d\n", nconn);
    if (out) {
        FILE *f = fopen(out, "w");
        if (!f) die(out);
        for (long k = 0; k < npaths; k++)
            fprintf(f, "%ld %d %lld %ld\n", k, results[k].status, (long long)results[k].latency_us,
                    results[k].order);
        fclose(f);
    }
    return 0;
usage:
    fprintf(stderr, "usage: rush --port P [--host H] [-c CONNS] [-m METHOD] [-H 'Name: value']...\n"
                    "            (--paths FILE | --repeat N [--path /healthz]) [--out FILE]\n");
    return 2;
}
