/* Throttles against guessing and flooding (SPEC §11). Pure: the caller
 * loads and stores the state.
 *
 * Failed logins slow down, they never lock: after `free_failures`
 * failures every further attempt waits twice as long as the one before
 * (1 s, 2 s, 4 s … up to `max_delay_ms`). A hard lock would let anyone
 * keep the owner out with a few wrong passwords; a delay keyed by account
 * *and* address slows the guesser without touching the owner elsewhere.
 *
 * Sign-ups are counted per address in fixed windows (`limit` per
 * `window_ms`). */
#ifndef YQ_CORE_LOCKOUT_H
#define YQ_CORE_LOCKOUT_H

#include <stdbool.h>
#include <stdint.h>

struct lockout_policy {
    int free_failures;    /* failures answered without any wait */
    int64_t max_delay_ms; /* the doubling wait stops growing here */
    int64_t window_ms;    /* failures are forgotten after this long without one */
};

struct lockout_state {
    int failures;
    int64_t last_failure_at; /* ms */
};

/* One account from one address: 2 free, then 1 s, 2 s, … at most 15 min;
 * forgotten after a quiet day. */
extern const struct lockout_policy lockout_pair_policy;
/* One address across all accounts (password spraying): 10 free, then the
 * same doubling; forgotten after a quiet hour. */
extern const struct lockout_policy lockout_address_policy;

/* Milliseconds the key must still wait before its next attempt (0 = go). */
int64_t lockout_wait_ms(const struct lockout_policy *p, const struct lockout_state *s, int64_t now);
/* The wait that follows `failures` failures (0 while they are free). */
int64_t lockout_delay_ms(const struct lockout_policy *p, int failures);
/* Records one failure at `now` (forgetting stale ones first). */
void lockout_fail(const struct lockout_policy *p, struct lockout_state *s, int64_t now);
/* Gives back a failure charged at `charged_at` over the state `before`:
 * when nothing else was charged since, the state is `before` again;
 * otherwise one failure less. */
void lockout_refund(struct lockout_state *s, const struct lockout_state *before,
                    int64_t charged_at);
/* Whether the failure just recorded is the one that starts the waits, or
 * the one from which on every wait is the longest (for the audit log). */
bool lockout_starts_waiting(const struct lockout_policy *p, const struct lockout_state *s);
bool lockout_reaches_cap(const struct lockout_policy *p, const struct lockout_state *s);

struct rate_policy {
    int limit;         /* events per window */
    int64_t window_ms; /* the window starts at the first event after the last one ended */
};

struct rate_state {
    int count;
    int64_t window_start; /* ms */
};

/* 10 sign-ups per address and hour (the limit is configurable). */
extern const struct rate_policy rate_signup_policy;

/* Milliseconds until one more event is allowed (0 = now). */
int64_t rate_wait_ms(const struct rate_policy *p, const struct rate_state *s, int64_t now);
/* Counts one event at `now`. */
void rate_take(const struct rate_policy *p, struct rate_state *s, int64_t now);

#endif
