/* Redemption application state machine. */
#include "core/redemption_state.h"
#include "core/status.h"

#include <string.h>

static const struct {
    const char *name, *zh;
} states[REDEMPTION_INVALID] = {
    [REDEMPTION_DRAFT] = {"draft", "草稿"},
    [REDEMPTION_SUBMITTED] = {"submitted", "已提交"},
    [REDEMPTION_EVALUATED] = {"evaluated", "已评价"},
    [REDEMPTION_RETURNED] = {"returned", "退回修改"},
    [REDEMPTION_APPROVED] = {"approved", "已批准"},
    [REDEMPTION_REJECTED] = {"rejected", "已驳回"},
    [REDEMPTION_WITHDRAWN] = {"withdrawn", "已撤回"},
    [REDEMPTION_IN_NOTICE] = {"in_notice", "公示中"},
    [REDEMPTION_NOTICED] = {"noticed", "公示期满"},
    [REDEMPTION_PAID] = {"paid", "已兑付"},
};

static const char *const events[REDEMPTION_NEVENTS] = {
    [REDEMPTION_EV_SUBMIT] = "submit",
    [REDEMPTION_EV_WITHDRAW] = "withdraw",
    [REDEMPTION_EV_EVALUATE] = "evaluate",
    [REDEMPTION_EV_APPROVE] = "approve",
    [REDEMPTION_EV_REJECT] = "reject",
    [REDEMPTION_EV_RETURN] = "return",
    [REDEMPTION_EV_RESUBMIT] = "resubmit",
    [REDEMPTION_EV_NOTICE_OPEN] = "notice_open",
    [REDEMPTION_EV_OBJECTION_UPHELD] = "objection_upheld",
    [REDEMPTION_EV_NOTICE_CLOSE] = "notice_close",
    [REDEMPTION_EV_PAY] = "pay",
    [REDEMPTION_EV_DISQUALIFY] = "disqualify",
};

static bool state_in_range(enum redemption_state s)
{
    return (unsigned)s < REDEMPTION_INVALID;
}

bool redemption_state_open(enum redemption_state s)
{
    return state_in_range(s) && s != REDEMPTION_REJECTED && s != REDEMPTION_WITHDRAWN &&
           s != REDEMPTION_PAID;
}

enum redemption_state redemption_next(enum redemption_state from, enum redemption_event event)
{
    enum redemption_state bad = REDEMPTION_INVALID;
    if (!state_in_range(from)) return bad;
    switch (event) {
    case REDEMPTION_EV_SUBMIT:
        return from == REDEMPTION_DRAFT ? REDEMPTION_SUBMITTED : bad;
    case REDEMPTION_EV_WITHDRAW:
        return from == REDEMPTION_DRAFT || from == REDEMPTION_SUBMITTED ? REDEMPTION_WITHDRAWN
                                                                        : bad;
    case REDEMPTION_EV_EVALUATE:
        return from == REDEMPTION_SUBMITTED ? REDEMPTION_EVALUATED : bad;
    case REDEMPTION_EV_APPROVE:
        return from == REDEMPTION_EVALUATED ? REDEMPTION_APPROVED : bad;
    case REDEMPTION_EV_REJECT:
        return from == REDEMPTION_EVALUATED ? REDEMPTION_REJECTED : bad;
    case REDEMPTION_EV_RETURN:
        return from == REDEMPTION_EVALUATED ? REDEMPTION_RETURNED : bad;
    case REDEMPTION_EV_RESUBMIT:
        return from == REDEMPTION_RETURNED ? REDEMPTION_SUBMITTED : bad;
    case REDEMPTION_EV_NOTICE_OPEN:
        return from == REDEMPTION_APPROVED ? REDEMPTION_IN_NOTICE : bad;
    case REDEMPTION_EV_OBJECTION_UPHELD:
        return from == REDEMPTION_IN_NOTICE ? REDEMPTION_EVALUATED : bad;
    case REDEMPTION_EV_NOTICE_CLOSE:
        return from == REDEMPTION_IN_NOTICE ? REDEMPTION_NOTICED : bad;
    case REDEMPTION_EV_PAY:
        return from == REDEMPTION_NOTICED ? REDEMPTION_PAID : bad;
    case REDEMPTION_EV_DISQUALIFY:
        return redemption_state_open(from) ? REDEMPTION_REJECTED : bad;
    case REDEMPTION_NEVENTS:
        break;
    }
    return bad;
}

const char *redemption_state_name(enum redemption_state s)
{
    return state_in_range(s) ? states[s].name : "";
}

const char *redemption_state_label_zh(enum redemption_state s)
{
    return state_in_range(s) ? states[s].zh : "";
}

int redemption_state_parse(const char *text, enum redemption_state *out)
{
    for (int i = 0; text && i < REDEMPTION_INVALID; i++) {
        if (strcmp(states[i].name, text) == 0) {
            *out = (enum redemption_state)i;
            return YQ_OK;
        }
    }
    return YQ_EINVAL;
}

const char *redemption_event_name(enum redemption_event e)
{
    return (unsigned)e < REDEMPTION_NEVENTS ? events[e] : "";
}
