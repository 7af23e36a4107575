/* Login delays and sign-up counts (see lockout.h). */
#include "core/lockout.h"

#define MINUTE (60LL * 1000)

const struct lockout_policy lockout_pair_policy = {2, 15 * MINUTE, 24 * 60 * MINUTE};
const struct lockout_policy lockout_address_policy = {10, 15 * MINUTE, 60 * MINUTE};
const struct rate_policy rate_signup_policy = {10, 60 * MINUTE};

static int live_failures(const struct lockout_policy *p, const struct lockout_state *s, int64_t now)
{
    if (s->failures <= 0 || now - s->last_failure_at >= p->window_ms) return 0;
    return s->failures;
}

int64_t lockout_delay_ms(const struct lockout_policy *p, int failures)
{
    if (failures <= p->free_failures) return 0;
    int shift = failures - p->free_failures - 1;
    if (shift > 40) return p->max_delay_ms;
    int64_t delay = (int64_t)1000 << shift;
    return delay < p->max_delay_ms ? delay : p->max_delay_ms;
}

int64_t lockout_wait_ms(const struct lockout_policy *p, const struct lockout_state *s, int64_t now)
{
    int n = live_failures(p, s, now);
    int64_t ready = s->last_failure_at + lockout_delay_ms(p, n);
    return n && ready > now ? ready - now : 0;
}

void lockout_fail(const struct lockout_policy *p, struct lockout_state *s, int64_t now)
{
    s->failures = live_failures(p, s, now) + 1;
    s->last_failure_at = now;
}

void lockout_refund(struct lockout_state *s, const struct lockout_state *before, int64_t charged_at)
{
    if (s->last_failure_at == charged_at && s->failures == before->failures + 1) {
        *s = *before;
    } else if (s->failures > 0) {
        s->failures--;
    }
}

bool lockout_starts_waiting(const struct lockout_policy *p, const struct lockout_state *s)
{
    return s->failures == p->free_failures + 1;
}

bool lockout_reaches_cap(const struct lockout_policy *p, const struct lockout_state *s)
{
    return s->failures > p->free_failures && lockout_delay_ms(p, s->failures) == p->max_delay_ms &&
           lockout_delay_ms(p, s->failures - 1) < p->max_delay_ms;
}

int64_t rate_wait_ms(const struct rate_policy *p, const struct rate_state *s, int64_t now)
{
    int64_t ends = s->window_start + p->window_ms;
    if (now >= ends || s->count < p->limit) return 0;
    return ends - now;
}

void rate_take(const struct rate_policy *p, struct rate_state *s, int64_t now)
{
    if (s->count <= 0 || now >= s->window_start + p->window_ms) {
        s->count = 0;
        s->window_start = now;
    }
    s->count++;
}
