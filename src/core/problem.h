/* A failure explained for the person who caused it: a status, a stable
 * machine code, a Chinese message, and the field at fault (if any). The
 * service layer fills one; the API layer renders it as SPEC §13's error. */
#ifndef YQ_CORE_PROBLEM_H
#define YQ_CORE_PROBLEM_H

#include <stdint.h>

struct problem {
    int status;          /* enum yq_status */
    char code[48];       /* e.g. "invalid_field" */
    char message[512];   /* Chinese, shown to the user */
    char field[128];     /* "" when not about one field */
    int64_t retry_after; /* seconds, for YQ_ELIMIT; 0 otherwise */
};

/* Fills p and returns p->status, so callers can `return problem_set(...)`. */
int problem_set(struct problem *p, int status, const char *code, const char *field, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));
void problem_clear(struct problem *p);
/* The answer to a failure of the database: YQ_ERR, "internal", 数据库错误. */
int problem_db_error(struct problem *p);
/* The answer to a failure of the storage itself, `status` YQ_ENOSPACE
 * (507 insufficient_storage: nothing was saved) or YQ_EIO (503
 * storage_error: whether it was saved is unknown, as when an answer is
 * lost). Returns status. */
int problem_storage(struct problem *p, int status);

#endif
