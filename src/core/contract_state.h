/* States of a contract (SPEC §5: drafted by one side, confirmed by the
 * other, 双方确认; a draft may be cancelled, a confirmed contract
 * terminated 未履行) and of an application on the county waitlist
 * (waiting, then served, cancelled when it leaves the queue, or lapsed
 * when the queue is closed). Pure. */
#ifndef YQ_CORE_CONTRACT_STATE_H
#define YQ_CORE_CONTRACT_STATE_H

enum contract_state { CONTRACT_DRAFT, CONTRACT_CONFIRMED, CONTRACT_CANCELLED, CONTRACT_TERMINATED };
#define CONTRACT_STATE_COUNT 4

enum contract_event { CONTRACT_CONFIRM, CONTRACT_CANCEL, CONTRACT_TERMINATE };

enum waitlist_state { WAITLIST_WAITING, WAITLIST_SERVED, WAITLIST_CANCELLED, WAITLIST_LAPSED };
#define WAITLIST_STATE_COUNT 4

/* The state after `event`, or -1 when not allowed. */
int contract_next(enum contract_state s, enum contract_event event);

/* Stored names ("draft", …), Chinese labels, and parsing (-1 unknown). */
const char *contract_state_name(enum contract_state s);
const char *contract_state_label(enum contract_state s);
int contract_state_parse(const char *name);
const char *waitlist_state_name(enum waitlist_state s);
const char *waitlist_state_label(enum waitlist_state s);
int waitlist_state_parse(const char *name);

#endif
