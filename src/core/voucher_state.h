/* States of a voucher (云服务券, SPEC §5 and §6) and the events that move it,
 * as one pure function:
 *   issued ─redeem_part→ partially_redeemed ─redeem_part→ itself
 *   issued, partially_redeemed ─redeem_all→ redeemed
 *   issued, partially_redeemed ─terminate→ terminated (contract not
 *             fulfilled, or disqualification; the unredeemed rest released)
 *   issued, partially_redeemed ─expire→ expired (service period and
 *             grace over, no claim waiting; the unredeemed rest released)
 *   partially_redeemed, redeemed ─clawback_some→ partially_redeemed (追回,
 *             something stays redeemed) | ─clawback_all→ issued (nothing
 *             stays redeemed)
 * Every other pair is refused; terminated and expired are final. The codes
 * are the ones stored in vouchers.status. */
#ifndef YQ_CORE_VOUCHER_STATE_H
#define YQ_CORE_VOUCHER_STATE_H

#include <stdbool.h>

enum voucher_state {
    VOUCHER_ISSUED,
    VOUCHER_PARTIALLY_REDEEMED,
    VOUCHER_REDEEMED,
    VOUCHER_TERMINATED,
    VOUCHER_EXPIRED,
    VOUCHER_STATE_INVALID, /* no such state or move; also the number of states */
};

enum voucher_event {
    VOUCHER_EV_REDEEM_PART,
    VOUCHER_EV_REDEEM_ALL,
    VOUCHER_EV_TERMINATE,
    VOUCHER_EV_EXPIRE,
    VOUCHER_EV_CLAWBACK_SOME,
    VOUCHER_EV_CLAWBACK_ALL,
    VOUCHER_NEVENTS,
};

/* The state `event` leads to from `from`, or VOUCHER_STATE_INVALID when the
 * move is not allowed (or either argument is out of range). */
enum voucher_state voucher_next(enum voucher_state from, enum voucher_event event);

/* Whether the voucher still holds a reservation that may be redeemed:
 * issued or partially redeemed. */
bool voucher_state_live(enum voucher_state s);

/* Stored code: "issued", "partially_redeemed", "redeemed", "terminated",
 * "expired"; "" when out of range. */
const char *voucher_state_name(enum voucher_state s);

/* Chinese label: 已发放, 部分兑现, 已兑现, 已终止, 已过期; "" when out of
 * range. */
const char *voucher_state_label_zh(enum voucher_state s);

/* Parses a stored code (exact, lower case). YQ_OK, or YQ_EINVAL with *out
 * untouched for NULL or unknown text. */
int voucher_state_parse(const char *text, enum voucher_state *out);

/* Event code for the audit log: "redeem_part", "redeem_all", "terminate",
 * "expire", "clawback_some", "clawback_all"; "" when out of range. */
const char *voucher_event_name(enum voucher_event e);

#endif
