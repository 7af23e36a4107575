/* Contract and waitlist states. */
#include "core/contract_state.h"

#include <stddef.h>
#include <string.h>

static const char *const contract_names[] = {"draft", "confirmed", "cancelled", "terminated"};
static const char *const contract_labels[] = {"待对方确认", "已确认", "已撤销", "已终止（未履行）"};
static const char *const waitlist_names[] = {"waiting", "served", "cancelled", "lapsed"};
static const char *const waitlist_labels[] = {"候补中", "已补发", "已取消", "已失效"};

int contract_next(enum contract_state s, enum contract_event event)
{
    switch (event) {
    case CONTRACT_CONFIRM:
        return s == CONTRACT_DRAFT ? CONTRACT_CONFIRMED : -1;
    case CONTRACT_CANCEL:
        return s == CONTRACT_DRAFT ? CONTRACT_CANCELLED : -1;
    case CONTRACT_TERMINATE:
        return s == CONTRACT_CONFIRMED ? CONTRACT_TERMINATED : -1;
    }
    return -1;
}

static int parse(const char *const *names, int n, const char *name)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

const char *contract_state_name(enum contract_state s)
{
    return (unsigned)s < CONTRACT_STATE_COUNT ? contract_names[s] : "unknown";
}

const char *contract_state_label(enum contract_state s)
{
    return (unsigned)s < CONTRACT_STATE_COUNT ? contract_labels[s] : "未知";
}

int contract_state_parse(const char *name)
{
    return parse(contract_names, CONTRACT_STATE_COUNT, name);
}

const char *waitlist_state_name(enum waitlist_state s)
{
    return (unsigned)s < WAITLIST_STATE_COUNT ? waitlist_names[s] : "unknown";
}

const char *waitlist_state_label(enum waitlist_state s)
{
    return (unsigned)s < WAITLIST_STATE_COUNT ? waitlist_labels[s] : "未知";
}

int waitlist_state_parse(const char *name)
{
    return parse(waitlist_names, WAITLIST_STATE_COUNT, name);
}
