/* Registration states of enterprises and providers (SPEC §3):
 *   draft → submitted → approved (会员, eligible) | rejected (with reason)
 *   rejected → resubmitted (after editing) → approved | rejected
 *   approved → disqualified (negative list)
 *   disqualified → submitted (lifted from the list: reviewed again)
 * Submitted and resubmitted both await review (reg_awaiting_review). The
 * owner may edit only in draft or rejected. SPEC §3 names "resubmitted" for
 * enterprises; a provider's flow is submitted → approved | rejected, so a
 * rejected provider submitting again is "submitted" (reg_next_provider). */
#ifndef YQ_CORE_REGISTRATION_H
#define YQ_CORE_REGISTRATION_H

#include <stdbool.h>

enum reg_state {
    REG_DRAFT,
    REG_SUBMITTED,
    REG_APPROVED,
    REG_REJECTED,
    REG_DISQUALIFIED,
    REG_RESUBMITTED,
    REG_NONE
};
enum reg_action { REG_SUBMIT, REG_APPROVE, REG_REJECT, REG_DISQUALIFY, REG_REINSTATE };

/* The state an action leads to from `from`, or REG_NONE when not allowed. */
enum reg_state reg_next(enum reg_state from, enum reg_action action);
enum reg_state reg_next_provider(enum reg_state from, enum reg_action action);
bool reg_editable(enum reg_state s);
bool reg_awaiting_review(enum reg_state s); /* submitted or resubmitted */

enum reg_state reg_parse(const char *code); /* REG_NONE when unknown */
const char *reg_code(enum reg_state s);     /* "draft" … */
const char *reg_name_zh(enum reg_state s);  /* 草稿 … */

#endif
