/* Record ids made by the application (portable across drivers): 26
 * characters of Crockford base32, 48 bits of millisecond time followed by
 * 80 random bits, so they sort by creation time and never collide in
 * practice. Strings, so JSON clients never lose precision. */
#ifndef YQ_STORE_ID_H
#define YQ_STORE_ID_H

#define ID_LEN 26

struct prng;

/* Makes ids and tokens come from `r` instead of libsodium (NULL: back to
 * libsodium), so that the data generator's output depends on its seed
 * alone. Not thread-safe: for single-threaded commands only. */
void id_set_prng(struct prng *r);

/* Writes a fresh id and its NUL into out. */
void id_new(char out[ID_LEN + 1]);

/* Random token of `nbytes` bytes as lowercase hex (2*nbytes+1 bytes out). */
void id_random_hex(char *out, int nbytes);

/* SHA-256 of s as 64 lowercase hex characters (out: 65 bytes). */
void id_sha256_hex(const char *s, size_t len, char out[65]);

#endif
