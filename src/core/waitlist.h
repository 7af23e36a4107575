/* 先到先补: the county waitlist is served strictly in confirmation order
 * whenever money comes free. The head of the queue is never skipped for a
 * smaller application behind it; an application whose program has the
 * partial-last switch on takes what remains, and the queue stops there.
 * Each application follows its own program's rule. Pure. */
#ifndef YQ_CORE_WAITLIST_H
#define YQ_CORE_WAITLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct waitlist_grant {
    int64_t amount_fen; /* what the application asks for (> 0) */
    bool partial_last;  /* its program lets the last applicant take the rest */
    int64_t grant_fen;  /* out: what it is granted; 0 = keeps waiting */
};

/* Serves q[0..n) (already in confirmation order) from `available`.
 * Returns how many were served (always a prefix of the queue). */
size_t waitlist_serve(struct waitlist_grant *q, size_t n, int64_t available);

#endif
