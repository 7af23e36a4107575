/* Problem reports. */
#include "core/problem.h"
#include "core/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int problem_set(struct problem *p, int status, const char *code, const char *field,
                const char *fmt, ...)
{
    p->status = status;
    snprintf(p->code, sizeof p->code, "%s", code);
    snprintf(p->field, sizeof p->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->message, sizeof p->message, fmt, ap);
    va_end(ap);
    p->retry_after = 0;
    return status;
}

void problem_clear(struct problem *p)
{
    memset(p, 0, sizeof *p);
    p->status = YQ_OK;
}
