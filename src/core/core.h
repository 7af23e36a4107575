/* core: pure domain logic. No I/O, no SQL, no HTTP. Modules:
 *   status.h   program-wide status codes
 *   problem.h  a failure explained to the user (code, Chinese message, field)
 *   mem.h      allocation that aborts on exhaustion; request arenas
 *   buf.h      capped growable byte buffer
 *   clock.h    the program clock; ISO 8601 and civil-date arithmetic
 *   roles.h    the roles of SPEC §1 and their scopes
 *   lockout.h  failed-login delays and the sign-up limit (SPEC §11)
 *   forwarded.h  the client address behind trusted proxies (X-Forwarded-For)
 *   validate.h field rules (usernames, passwords, text)
 *   csv.h      capped RFC 4180 reader
 *   encoding.h UTF-8 or GBK: detection and conversion of uploaded text
 *   import_columns.h  the enterprise import sheet's columns and cell rules
 *   uscc.h     统一社会信用代码 validation (GB 32100)
 *   prng.h     a seeded pseudo-random generator (the data generator)
 *   policy.h   program ratios, caps and voucher amounts (SPEC §2)
 *   registration.h  registration states of enterprises and providers
 *   contract.h line amounts, totals and the subsidy base
 *   voucher_code.h  voucher codes with a check character
 *   voucher_state.h states of a voucher (issued … redeemed, clawback)
 *   waitlist.h 先到先补: serving the waitlist in order
 *   workdays.h the official working-day calendar and its CSV loader
 *   notice.h   公示: the earliest close of a public notice
 *   period.h   half-year redemption periods and their filing windows
 *   redemption.h  claims, quality deductions, approved amounts, scores
 *   redemption_state.h  states of a redemption application
 *   award.h    考核与奖补: normalised measures, scores, largest-remainder shares
 *   dashboard.h  the months of a year in China time; the 完成率 ranking
 */
#ifndef YQ_CORE_H
#define YQ_CORE_H

#include "core/buf.h"
#include "core/csv.h"
#include "core/policy.h"
#include "core/uscc.h"
#include "core/validate.h"
#include "core/voucher_state.h"
#include "core/clock.h"
#include "core/lockout.h"
#include "core/mem.h"
#include "core/notice.h"
#include "core/period.h"
#include "core/problem.h"
#include "core/redemption.h"
#include "core/redemption_state.h"
#include "core/roles.h"
#include "core/status.h"

#endif
