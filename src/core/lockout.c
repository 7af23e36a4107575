/* Login throttling: after `free_failures` failures each further attempt
 * waits 1 s, 2 s, 4 s …; at `lock_failures` the key locks for `lock_ms`.
 * A quiet `window_ms` or a served lock forgets the failures. */
#include "core/lockout.h"

const struct lockout_policy lockout_account_policy = {2, 5, 15 * 60 * 1000, 15 * 60 * 1000};
const struct lockout_policy lockout_address_policy = {10, 20, 15 * 60 * 1000, 15 * 60 * 1000};

static void forget_if_stale(const struct lockout_policy *p, struct lockout_state *s,
                            int64_t now)
{
    if (s->locked_until && now >= s->locked_until) {
        s->failures = 0;
        s->locked_until = 0;
    } else if (!s->locked_until && s->failures && now - s->last_failure_at >= p->window_ms) {
        s->failures = 0;
    }
}

int64_t lockout_wait_ms(const struct lockout_policy *p, const struct lockout_state *s,
                        int64_t now)
{
    struct lockout_state c = *s;
    forget_if_stale(p, &c, now);
    if (c.locked_until > now) return c.locked_until - now;
    if (c.failures > p->free_failures) {
        int shift = c.failures - p->free_failures - 1;
        int64_t delay = (int64_t)1000 << (shift > 10 ? 10 : shift);
        int64_t ready = c.last_failure_at + delay;
        if (ready > now) return ready - now;
    }
    return 0;
}

void lockout_fail(const struct lockout_policy *p, struct lockout_state *s, int64_t now)
{
    forget_if_stale(p, s, now);
    s->failures++;
    s->last_failure_at = now;
    if (s->failures >= p->lock_failures) s->locked_until = now + p->lock_ms;
}
