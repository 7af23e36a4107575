/* Registration state machine. */
#include "core/registration.h"

#include <string.h>

static const struct {
    const char *code, *zh;
} names[] = {
    [REG_DRAFT] = {"draft", "草稿"},
    [REG_SUBMITTED] = {"submitted", "待审核"},
    [REG_APPROVED] = {"approved", "已通过"},
    [REG_REJECTED] = {"rejected", "已退回"},
    [REG_DISQUALIFIED] = {"disqualified", "已取消资格"},
    [REG_RESUBMITTED] = {"resubmitted", "重新提交"},
};

enum reg_state reg_next(enum reg_state from, enum reg_action action)
{
    switch (action) {
    case REG_SUBMIT:
        return from == REG_DRAFT      ? REG_SUBMITTED
               : from == REG_REJECTED ? REG_RESUBMITTED
                                      : REG_NONE;
    case REG_APPROVE: return reg_awaiting_review(from) ? REG_APPROVED : REG_NONE;
    case REG_REJECT: return reg_awaiting_review(from) ? REG_REJECTED : REG_NONE;
    case REG_DISQUALIFY:
        return (from == REG_NONE || from == REG_DISQUALIFIED) ? REG_NONE : REG_DISQUALIFIED;
    case REG_REINSTATE: return from == REG_DISQUALIFIED ? REG_SUBMITTED : REG_NONE;
    }
    return REG_NONE;
}

enum reg_state reg_next_provider(enum reg_state from, enum reg_action action)
{
    enum reg_state to = reg_next(from, action);
    return to == REG_RESUBMITTED ? REG_SUBMITTED : to;
}

bool reg_editable(enum reg_state s)
{
    return s == REG_DRAFT || s == REG_REJECTED;
}

bool reg_awaiting_review(enum reg_state s)
{
    return s == REG_SUBMITTED || s == REG_RESUBMITTED;
}

enum reg_state reg_parse(const char *code)
{
    for (int i = 0; code && i < REG_NONE; i++)
        if (strcmp(names[i].code, code) == 0) return (enum reg_state)i;
    return REG_NONE;
}

const char *reg_code(enum reg_state s)
{
    return s < REG_NONE ? names[s].code : "";
}

const char *reg_name_zh(enum reg_state s)
{
    return s < REG_NONE ? names[s].zh : "";
}
