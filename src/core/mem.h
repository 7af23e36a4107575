/* Allocation policy, stated once: out of memory prints a message and aborts,
 * so callers never check for NULL. Request-scoped memory comes from an arena
 * that is freed in one go when the request ends. */
#ifndef YQ_CORE_MEM_H
#define YQ_CORE_MEM_H

#include <stddef.h>

void *yq_malloc(size_t n);
void *yq_calloc(size_t count, size_t size);
void *yq_realloc(void *p, size_t n);
char *yq_strdup(const char *s);
char *yq_strndup(const char *s, size_t n);

/* A bump allocator made of chained blocks. Everything allocated from it is
 * released by arena_free(); individual frees do not exist. */
struct arena {
    struct arena_block *head;
};

void arena_init(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* printf into the arena; returns the new string. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);

#endif
