/* Password hashing with Argon2id (libsodium's crypto_pwhash_str), with the
 * cost parameters stored inside each hash string. */
#ifndef YQ_SERVICE_PASSWORD_H
#define YQ_SERVICE_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_HASH_MAX 128

/* Hashes `password` into out (PASSWORD_HASH_MAX bytes). YQ_OK or YQ_ERR. */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* True when `password` matches `hash`; false for any malformed hash. */
bool password_verify(const char *hash, const char *password);
/* Burns the time of one verification (for unknown usernames, so that the
 * answer time does not tell which usernames exist). */
void password_verify_dummy(const char *password);

#endif
