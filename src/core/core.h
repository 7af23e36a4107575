/* core: pure domain logic. No I/O, no SQL, no HTTP. Modules:
 *   status.h   program-wide status codes
 *   problem.h  a failure explained to the user (code, Chinese message, field)
 *   mem.h      allocation that aborts on exhaustion; request arenas
 *   buf.h      capped growable byte buffer
 *   clock.h    the program clock; ISO 8601 and civil-date arithmetic
 *   roles.h    the roles of SPEC §1 and their scopes
 *   lockout.h  failed-login slow-down and lock (SPEC §11)
 */
#ifndef YQ_CORE_H
#define YQ_CORE_H

#include "core/buf.h"
#include "core/clock.h"
#include "core/lockout.h"
#include "core/mem.h"
#include "core/problem.h"
#include "core/roles.h"
#include "core/status.h"

#endif
