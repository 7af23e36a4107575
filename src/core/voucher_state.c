/* Voucher state machine. */
#include "core/voucher_state.h"
#include "core/status.h"

#include <string.h>

static const struct {
    const char *name, *zh;
} states[VOUCHER_STATE_INVALID] = {
    [VOUCHER_ISSUED] = {"issued", "已发放"},
    [VOUCHER_PARTIALLY_REDEEMED] = {"partially_redeemed", "部分兑现"},
    [VOUCHER_REDEEMED] = {"redeemed", "已兑现"},
    [VOUCHER_TERMINATED] = {"terminated", "已终止"},
    [VOUCHER_EXPIRED] = {"expired", "已过期"},
};

static const char *const events[VOUCHER_NEVENTS] = {
    [VOUCHER_EV_REDEEM_PART] = "redeem_part",     [VOUCHER_EV_REDEEM_ALL] = "redeem_all",
    [VOUCHER_EV_TERMINATE] = "terminate",         [VOUCHER_EV_EXPIRE] = "expire",
    [VOUCHER_EV_CLAWBACK_SOME] = "clawback_some", [VOUCHER_EV_CLAWBACK_ALL] = "clawback_all",
};

static bool state_in_range(enum voucher_state s)
{
    return (unsigned)s < VOUCHER_STATE_INVALID;
}

bool voucher_state_live(enum voucher_state s)
{
    return s == VOUCHER_ISSUED || s == VOUCHER_PARTIALLY_REDEEMED;
}

/* Whether some money of the voucher has been redeemed (and may be clawed
 * back). */
static bool has_redeemed(enum voucher_state s)
{
    return s == VOUCHER_PARTIALLY_REDEEMED || s == VOUCHER_REDEEMED;
}

enum voucher_state voucher_next(enum voucher_state from, enum voucher_event event)
{
    enum voucher_state bad = VOUCHER_STATE_INVALID;
    if (!state_in_range(from)) return bad;
    switch (event) {
    case VOUCHER_EV_REDEEM_PART:
        return voucher_state_live(from) ? VOUCHER_PARTIALLY_REDEEMED : bad;
    case VOUCHER_EV_REDEEM_ALL:
        return voucher_state_live(from) ? VOUCHER_REDEEMED : bad;
    case VOUCHER_EV_TERMINATE:
        return voucher_state_live(from) ? VOUCHER_TERMINATED : bad;
    case VOUCHER_EV_EXPIRE:
        return voucher_state_live(from) ? VOUCHER_EXPIRED : bad;
    case VOUCHER_EV_CLAWBACK_SOME:
        return has_redeemed(from) ? VOUCHER_PARTIALLY_REDEEMED : bad;
    case VOUCHER_EV_CLAWBACK_ALL:
        return has_redeemed(from) ? VOUCHER_ISSUED : bad;
    case VOUCHER_NEVENTS:
        break;
    }
    return bad;
}

const char *voucher_state_name(enum voucher_state s)
{
    return state_in_range(s) ? states[s].name : "";
}

const char *voucher_state_label_zh(enum voucher_state s)
{
    return state_in_range(s) ? states[s].zh : "";
}

int voucher_state_parse(const char *text, enum voucher_state *out)
{
    for (int i = 0; text && i < VOUCHER_STATE_INVALID; i++) {
        if (strcmp(states[i].name, text) == 0) {
            *out = (enum voucher_state)i;
            return YQ_OK;
        }
    }
    return YQ_EINVAL;
}

const char *voucher_event_name(enum voucher_event e)
{
    return (unsigned)e < VOUCHER_NEVENTS ? events[e] : "";
}
