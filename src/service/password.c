/* Argon2id password hashes. */
#include "service/password.h"
#include "core/status.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

static int memlimit(void)
{
    return crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
    if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              (size_t)memlimit(), crypto_pwhash_ALG_ARGON2ID13) != 0)
        return YQ_ERR;
    return YQ_OK;
}

bool password_verify(const char *hash, const char *password)
{
    if (!hash || strncmp(hash, "$argon2id$", 10) != 0) return false;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    password_hash("yunquan-dummy-password", dummy_hash);
}

void password_verify_dummy(const char *password)
{
    pthread_once(&dummy_once, make_dummy);
    (void)password_verify(dummy_hash, password);
}
