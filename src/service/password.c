/* Argon2id password hashes behind a gate (see password.h). */
#include "service/password.h"
#include "core/status.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_free;
static pthread_once_t gate_once = PTHREAD_ONCE_INIT;
static int max_running = 2, max_waiting = 2;
static int running, waiting, peak;

static void gate_init(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&gate_free, &attr);
    pthread_condattr_destroy(&attr);
}

/* Takes a place to compute: YQ_OK, or YQ_EBUSY when the queue is full or
 * the wait ran out. */
static int gate_enter(void)
{
    pthread_once(&gate_once, gate_init);
    pthread_mutex_lock(&gate_lock);
    if (running >= max_running) {
        if (waiting >= max_waiting) {
            pthread_mutex_unlock(&gate_lock);
            return YQ_EBUSY;
        }
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += PASSWORD_WAIT_MS / 1000;
        until.tv_nsec += (long)(PASSWORD_WAIT_MS % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        waiting++;
        int rc = 0;
        while (running >= max_running && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&gate_free, &gate_lock, &until);
        waiting--;
        if (running >= max_running) {
            pthread_mutex_unlock(&gate_lock);
            return YQ_EBUSY;
        }
    }
    running++;
    if (running > peak) peak = running;
    pthread_mutex_unlock(&gate_lock);
    return YQ_OK;
}

static void gate_leave(void)
{
    pthread_mutex_lock(&gate_lock);
    running--;
    pthread_cond_signal(&gate_free);
    pthread_mutex_unlock(&gate_lock);
}

static int hash_now(const char *password, char out[PASSWORD_HASH_MAX])
{
    if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return YQ_ERR;
    return YQ_OK;
}

static bool check_now(const char *hash, const char *password)
{
    if (!hash || strncmp(hash, "$argon2id$", 10) != 0) return false;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

/* Made outside the gate, once: the first unknown username must not be the
 * one answer that takes twice as long. */
static void make_dummy(void)
{
    hash_now("yunquan-dummy-password", dummy_hash);
}

void password_limit(int running_max, int waiting_max)
{
    pthread_once(&gate_once, gate_init);
    pthread_mutex_lock(&gate_lock);
    max_running = running_max < 1 ? 1 : running_max;
    max_waiting = waiting_max < 0 ? 0 : waiting_max;
    pthread_mutex_unlock(&gate_lock);
    pthread_once(&dummy_once, make_dummy);
}

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
    int rc = gate_enter();
    if (rc != YQ_OK) return rc;
    rc = hash_now(password, out);
    gate_leave();
    return rc;
}

int password_check(const char *hash, const char *password, bool *match)
{
    *match = false;
    int rc = gate_enter();
    if (rc != YQ_OK) return rc;
    *match = check_now(hash, password);
    gate_leave();
    return YQ_OK;
}

int password_check_dummy(const char *password)
{
    pthread_once(&dummy_once, make_dummy);
    bool match;
    return password_check(dummy_hash, password, &match);
}

bool password_verify(const char *hash, const char *password)
{
    bool match;
    return password_check(hash, password, &match) == YQ_OK && match;
}

int password_peak_running(void)
{
    pthread_mutex_lock(&gate_lock);
    int n = peak;
    pthread_mutex_unlock(&gate_lock);
    return n;
}
