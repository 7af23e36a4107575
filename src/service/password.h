/* Password hashing with Argon2id (libsodium's crypto_pwhash_str), with the
 * cost parameters stored inside each hash string.
 *
 * Each hash or check takes 64 MiB and tens of milliseconds of one core, so
 * they pass through a gate: at most `running` at once and `waiting` more
 * queued, each queued caller for at most PASSWORD_WAIT_MS. Anyone beyond
 * that is told YQ_EBUSY at once, so Argon2id can never hold every worker
 * thread and starve the other requests. */
#ifndef YQ_SERVICE_PASSWORD_H
#define YQ_SERVICE_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_HASH_MAX 128
#define PASSWORD_WAIT_MS 10000

/* Sets the gate (running ≥ 1, waiting ≥ 0) and makes the dummy hash; call
 * before serving. Until then the gate is 2 running, 2 waiting. */
void password_limit(int running, int waiting);

/* Hashes `password` into out (PASSWORD_HASH_MAX bytes). YQ_OK, YQ_EBUSY
 * (the gate is full), or YQ_ERR. */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* Checks `password` against `hash`: YQ_OK with *match set (false for any
 * malformed hash), or YQ_EBUSY when the gate is full. */
int password_check(const char *hash, const char *password, bool *match);
/* Burns the time of one check (for unknown usernames, so that the answer
 * time does not tell which usernames exist). YQ_OK or YQ_EBUSY. */
int password_check_dummy(const char *password);
/* password_check as a yes or no: false also when the gate is full. */
bool password_verify(const char *hash, const char *password);

/* The most Argon2id computations that ever ran at once (for tests). */
int password_peak_running(void);

#endif
