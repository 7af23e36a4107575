/* 先到先补: the county waitlist is served strictly in confirmation order
 * whenever money comes free. The head of the queue is never skipped for a
 * smaller application behind it; with the program's partial-last switch
 * on, the head takes what remains and the queue stops there. Pure. */
#ifndef YQ_CORE_WAITLIST_H
#define YQ_CORE_WAITLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct waitlist_entry {
    int64_t amount_fen; /* what the application asks for */
    int64_t grant_fen;  /* out: what it is granted; 0 = keeps waiting */
};

/* Serves entries[0..n) (already in confirmation order) from `available`.
 * Returns how many were served (a prefix of the queue). */
size_t waitlist_serve(struct waitlist_entry *entries, size_t n, int64_t available,
                      bool partial_last);

#endif
