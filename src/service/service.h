/* service: use cases; each runs one transaction over core + store and
 * records its audit entry inside that transaction. Modules:
 *   password.h  Argon2id hashing
 *   auth.h      login, sessions, logout
 *   accounts.h  official accounts made by admin: create, lock, password
 *   demo.h      reference data and demo data
 *   programs.h  programs and versioned parameters
 *   parties.h   enterprises and providers: sign-up (parties_signup.c), profile, review
 *   enterprise_import.h  CSV import of enterprises by a county (issue 10)
 *   redemptions.h  兑现: filing (redemptions.c), evaluation and review
 *               (redemption_review.c), reads and pending work (redemption_reads.c)
 *   catalog.h   catalog items, public catalog, negative list
 *   contracts.h contracts, attachments, budgets
 *   vouchers.h  vouchers and the waitlist
 *   risk.h      risk signals for reviewers
 *   calendar.h  the official working-day calendar
 *   audit_log.h reading the audit log
 *   reference.h reference data: counties and their targets
 *   targets.h   targets per county and year, the completion report, scores
 *   awards.h    考核与奖补: award allocations, posting, benchmark awards
 *   dashboards.h  the dashboards per role, on the completion report's rows
 *   health.h    the server's health (/healthz)
 *   stream.h    a list's rows streamed one by one to an export
 */
#ifndef YQ_SERVICE_H
#define YQ_SERVICE_H

#include "service/accounts.h"
#include "service/actor.h"
#include "service/auth.h"
#include "service/demo.h"
#include "service/password.h"

#endif
