/* States of a redemption application (兑现申请, SPEC §7) and the events that
 * move it, as one pure function:
 *   draft ─submit→ submitted ─evaluate→ evaluated (第三方评价)
 *   draft, submitted ─withdraw→ withdrawn (only before evaluation)
 *   evaluated ─approve→ approved | ─reject→ rejected | ─return→ returned
 *   returned ─resubmit→ submitted (corrected; the evaluation is kept)
 *   approved ─notice_open→ in_notice (公示)
 *   in_notice ─objection_upheld→ evaluated (the item leaves the notice and
 *             goes back to review) | ─notice_close→ noticed
 *   noticed ─pay→ paid (集中兑付)
 *   any state but rejected, withdrawn, paid ─disqualify→ rejected (信用负面
 *             清单: SPEC §8 rejects a listed party's open applications)
 * Every other pair is refused. Withdrawn, rejected and paid are final. */
#ifndef YQ_CORE_REDEMPTION_STATE_H
#define YQ_CORE_REDEMPTION_STATE_H

#include <stdbool.h>

enum redemption_state {
    REDEMPTION_DRAFT,
    REDEMPTION_SUBMITTED,
    REDEMPTION_EVALUATED,
    REDEMPTION_RETURNED,
    REDEMPTION_APPROVED,
    REDEMPTION_REJECTED,
    REDEMPTION_WITHDRAWN,
    REDEMPTION_IN_NOTICE,
    REDEMPTION_NOTICED,
    REDEMPTION_PAID,
    REDEMPTION_INVALID, /* no such state or move; also the number of states */
};

enum redemption_event {
    REDEMPTION_EV_SUBMIT,
    REDEMPTION_EV_WITHDRAW,
    REDEMPTION_EV_EVALUATE,
    REDEMPTION_EV_APPROVE,
    REDEMPTION_EV_REJECT,
    REDEMPTION_EV_RETURN,
    REDEMPTION_EV_RESUBMIT,
    REDEMPTION_EV_NOTICE_OPEN,
    REDEMPTION_EV_OBJECTION_UPHELD,
    REDEMPTION_EV_NOTICE_CLOSE,
    REDEMPTION_EV_PAY,
    REDEMPTION_EV_DISQUALIFY,
    REDEMPTION_NEVENTS,
};

/* The state `event` leads to from `from`, or REDEMPTION_INVALID when the
 * move is not allowed (or either argument is out of range). */
enum redemption_state redemption_next(enum redemption_state from, enum redemption_event event);

/* Whether the application is still open: not rejected, withdrawn or paid. */
bool redemption_state_open(enum redemption_state s);

/* Stored code: "draft", "submitted", "evaluated", "returned", "approved",
 * "rejected", "withdrawn", "in_notice", "noticed", "paid"; "" when out of
 * range. */
const char *redemption_state_name(enum redemption_state s);

/* Chinese label: 草稿, 已提交, 已评价, 退回修改, 已批准, 已驳回, 已撤回,
 * 公示中, 公示期满, 已兑付; "" when out of range. */
const char *redemption_state_label_zh(enum redemption_state s);

/* Parses a stored code (exact, lower case). YQ_OK, or YQ_EINVAL with *out
 * untouched for NULL or unknown text. */
int redemption_state_parse(const char *text, enum redemption_state *out);

/* Event code for the audit log: "submit", "withdraw", "evaluate", "approve",
 * "reject", "return", "resubmit", "notice_open", "objection_upheld",
 * "notice_close", "pay", "disqualify"; "" when out of range. */
const char *redemption_event_name(enum redemption_event e);

#endif
