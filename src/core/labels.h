/* Chinese names of the codes people meet in lists and exports, the same
 * words the web UI shows (web/src/locales/zh-CN.ts): provider kinds,
 * industry sections (GB/T 4754), priority flags, fund sources, half-year
 * periods, yes/no. Pure functions over static tables. */
#ifndef YQ_CORE_LABELS_H
#define YQ_CORE_LABELS_H

#include <stddef.h>

/* Each returns the Chinese name of `code`, or `code` itself when the code
 * is unknown (never NULL for a non-NULL code; NULL for NULL). */
const char *label_provider_kind(const char *code);
const char *label_industry(const char *code);
const char *label_priority_flag(const char *code);
const char *label_fund_source(const char *code);
const char *label_county_kind(const char *code);
const char *label_audit_entity(const char *code);
/* The Chinese name of an audit action, in the words of its entity where
 * they differ ("contract"/"cancel": 撤销草稿); the code when unknown. */
const char *label_audit_action(const char *entity, const char *action);
const char *label_transfer_kind(const char *code); /* ledger transfers */
/* Award allocation and recipient states, recipient kinds. */
const char *label_award(const char *code);

/* "2019H1" → "2019年上半年" into out (size n); other text is copied. */
void label_period(const char *period, char *out, size_t n);

#endif
