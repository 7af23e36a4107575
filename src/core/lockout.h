/* Failed-login throttling (SPEC §11): repeated failures first slow down,
 * then lock the key (an account or a client address) for a while. Pure:
 * the caller loads and stores the state. */
#ifndef YQ_CORE_LOCKOUT_H
#define YQ_CORE_LOCKOUT_H

#include <stdint.h>

struct lockout_policy {
    int free_failures;   /* failures before slowing down (2) */
    int lock_failures;   /* failures that lock (5 for accounts, 20 for addresses) */
    int64_t window_ms;   /* failures older than this are forgotten (15 min) */
    int64_t lock_ms;     /* how long a lock lasts (15 min) */
};

struct lockout_state {
    int failures;
    int64_t last_failure_at; /* ms */
    int64_t locked_until;    /* ms; 0 when never locked */
};

extern const struct lockout_policy lockout_account_policy;
extern const struct lockout_policy lockout_address_policy;

/* Milliseconds the key must still wait before its next attempt (0 = go). */
int64_t lockout_wait_ms(const struct lockout_policy *p, const struct lockout_state *s,
                        int64_t now);
/* Records one failure at `now`. */
void lockout_fail(const struct lockout_policy *p, struct lockout_state *s, int64_t now);

#endif
