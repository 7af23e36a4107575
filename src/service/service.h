/* service: use cases; each runs one transaction over core + store and
 * records its audit entry inside that transaction. Modules:
 *   password.h  Argon2id hashing
 *   auth.h      login, sessions, logout
 *   accounts.h  official accounts made by admin: create, lock, password
 *   demo.h      reference data and demo accounts
 */
#ifndef YQ_SERVICE_H
#define YQ_SERVICE_H

#include "service/accounts.h"
#include "service/actor.h"
#include "service/auth.h"
#include "service/demo.h"
#include "service/password.h"

#endif
