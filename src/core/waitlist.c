/* Waitlist service order. */
#include "core/waitlist.h"

#include <assert.h>

size_t waitlist_serve(struct waitlist_grant *q, size_t n, int64_t available)
{
    size_t served = 0;
    for (size_t i = 0; i < n; i++)
        q[i].grant_fen = 0;
    for (size_t i = 0; i < n && available > 0; i++) {
        assert(q[i].amount_fen > 0);
        if (q[i].amount_fen <= available) {
            q[i].grant_fen = q[i].amount_fen;
            available -= q[i].amount_fen;
            served++;
            continue;
        }
        if (q[i].partial_last) {
            q[i].grant_fen = available;
            served++;
        }
        break; /* never skip the head */
    }
    return served;
}
