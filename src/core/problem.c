/* Problem reports. */
#include "core/problem.h"
#include "core/status.h"
#include "core/validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int problem_set(struct problem *p, int status, const char *code, const char *field, const char *fmt,
                ...)
{
    p->status = status;
    snprintf(p->code, sizeof p->code, "%s", code);
    /* Field names and messages may quote what the user sent: keep them
     * valid UTF-8 whatever was sent and wherever they are cut. */
    utf8_sanitize(p->field, sizeof p->field, field ? field : "");
    char raw[sizeof p->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    utf8_trim_partial(raw);
    utf8_sanitize(p->message, sizeof p->message, raw);
    p->retry_after = 0;
    return status;
}

int problem_db_error(struct problem *p)
{
    return problem_set(p, YQ_ERR, "internal", NULL, "数据库错误");
}

int problem_storage(struct problem *p, int status)
{
    if (status == YQ_ENOSPACE)
        return problem_set(p, YQ_ENOSPACE, "insufficient_storage", NULL,
                           "服务器存储空间已满，本次操作未保存，请稍后再试或联系管理员");
    /* A failed fsync leaves it unknown whether the write reached the disk
     * (it may show after a restart): say so, and that a retry is safe. */
    return problem_set(p, YQ_EIO, "storage_error", NULL,
                       "服务器存储写入失败，无法确认本次操作已保存；请稍后刷新查看，"
                       "未生效时再重试");
}

void problem_clear(struct problem *p)
{
    memset(p, 0, sizeof *p);
    p->status = YQ_OK;
}
