/* Application-made ids, random tokens and hashes (libsodium). */
#include <stddef.h>
#include "store/id.h"
#include "core/clock.h"
#include "core/prng.h"

#include <sodium.h>
#include <stdint.h>

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static struct prng *seeded;

void id_set_prng(struct prng *r)
{
    seeded = r;
}

/* Each thread's ChaCha20 key, drawn from the system's random source on
 * its first use, and the count of blocks taken since: every id and token
 * is a fresh keystream block (a CSPRNG as arc4random is), without the
 * getrandom() system call per request that randombytes_buf makes (2 % of
 * a public verification's CPU). The server never forks after its threads
 * start; a forked child that execs (pg_dump) draws nothing. A new key is
 * drawn every 2^20 blocks. */
static _Thread_local unsigned char stream_key[crypto_stream_chacha20_ietf_KEYBYTES];
static _Thread_local uint64_t stream_blocks; /* 0: not keyed yet */

static void random_bytes(void *buf, size_t n)
{
    if (seeded) {
        prng_fill(seeded, buf, n);
        return;
    }
    if (n > 64) { /* more than one block: not made by us */
        randombytes_buf(buf, n);
        return;
    }
    if (stream_blocks == 0 || stream_blocks > (1u << 20)) { /* first use, and a new key now and then */
        randombytes_buf(stream_key, sizeof stream_key);
        stream_blocks = 1;
    }
    unsigned char nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {0};
    for (int i = 0; i < 8; i++) nonce[i] = (unsigned char)(stream_blocks >> (8 * i));
    stream_blocks++;
    crypto_stream_chacha20_ietf(buf, n, nonce, stream_key);
}

void id_new(char out[ID_LEN + 1])
{
    unsigned char bytes[16];
    uint64_t ms = (uint64_t)clock_now_ms();
    for (int i = 0; i < 6; i++)
        bytes[i] = (unsigned char)(ms >> (40 - 8 * i));
    random_bytes(bytes + 6, 10);
    /* 128 bits → 26 base32 digits (the first carries 3 bits). */
    int bit = -2;
    for (int i = 0; i < ID_LEN; i++, bit += 5) {
        unsigned v = 0;
        for (int k = 0; k < 5; k++) {
            int b = bit + k;
            v <<= 1;
            if (b >= 0) v |= (bytes[b / 8] >> (7 - b % 8)) & 1u;
        }
        out[i] = crockford[v];
    }
    out[ID_LEN] = '\0';
}

void id_random_hex(char *out, int nbytes)
{
    unsigned char buf[64];
    if (nbytes > 64) nbytes = 64;
    random_bytes(buf, (size_t)nbytes);
    sodium_bin2hex(out, (size_t)nbytes * 2 + 1, buf, (size_t)nbytes);
}

void id_sha256_hex(const char *s, size_t len, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, len);
    sodium_bin2hex(out, 65, h, sizeof h);
}
