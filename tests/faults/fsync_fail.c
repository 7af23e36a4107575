/* A fault-injecting shim for the fsync tests (tests/api/test_fsync_fault.py),
 * loaded with LD_PRELOAD: while the file named by YQ_FSYNC_FAIL_FILE exists,
 * fsync and fdatasync fail with EIO, as they do when a disk reports a write
 * error. Removing the file ends the fault. Each failure is counted in
 * YQ_FSYNC_FAIL_FILE.count (one byte appended per failure), so that a test
 * can tell the fault was met. Not part of the server. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failing(void)
{
    const char *trigger = getenv("YQ_FSYNC_FAIL_FILE");
    if (!trigger || access(trigger, F_OK) != 0) return 0;
    char count[4096];
    size_t n = strlen(trigger);
    if (n + 7 < sizeof count) {
        memcpy(count, trigger, n);
        memcpy(count + n, ".count", 7);
        int fd = open(count, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0) {
            ssize_t w = write(fd, "x", 1);
            (void)w;
            close(fd);
        }
    }
    return 1;
}

typedef int (*sync_fn)(int);

/* The next definition of `name` (libc's). POSIX lets a data pointer
 * hold a function's address; memcpy keeps -Wpedantic quiet. */
static sync_fn next(const char *name)
{
    void *sym = dlsym(RTLD_NEXT, name);
    sync_fn f;
    memcpy(&f, &sym, sizeof f);
    return f;
}

int fsync(int fd)
{
    static sync_fn real;
    if (failing()) {
        errno = EIO;
        return -1;
    }
    if (!real) real = next("fsync");
    return real(fd);
}

int fdatasync(int fd)
{
    static sync_fn real;
    if (failing()) {
        errno = EIO;
        return -1;
    }
    if (!real) real = next("fdatasync");
    return real(fd);
}
