/* A small deterministic pseudo-random generator (xoshiro256**, seeded
 * through splitmix64) for the data generator: the same seed gives the same
 * sequence on every machine. Not for secrets: tokens and salts come from
 * libsodium. */
#ifndef YQ_CORE_PRNG_H
#define YQ_CORE_PRNG_H

#include <stddef.h>
#include <stdint.h>

struct prng {
    uint64_t s[4];
};

/* Seeds the state from one 64-bit value (splitmix64 expands it). */
void prng_seed(struct prng *r, uint64_t seed);
/* The next 64 random bits. */
uint64_t prng_next(struct prng *r);
/* A value uniform in [0, n) (n > 0; 0 when n is 0), without modulo bias. */
uint64_t prng_below(struct prng *r, uint64_t n);
/* A value uniform in [lo, hi] (lo ≤ hi). */
int64_t prng_range(struct prng *r, int64_t lo, int64_t hi);
/* Fills buf with n random bytes. */
void prng_fill(struct prng *r, void *buf, size_t n);

#endif
