/* Waitlist service order. */
#include "core/waitlist.h"

size_t waitlist_serve(struct waitlist_entry *entries, size_t n, int64_t available,
                      bool partial_last)
{
    size_t served = 0;
    for (size_t i = 0; i < n; i++) entries[i].grant_fen = 0;
    for (size_t i = 0; i < n && available > 0; i++) {
        if (entries[i].amount_fen <= available) {
            entries[i].grant_fen = entries[i].amount_fen;
            available -= entries[i].amount_fen;
            served++;
            continue;
        }
        if (partial_last) {
            entries[i].grant_fen = available;
            served++;
        }
        break; /* never skip the head */
    }
    return served;
}
