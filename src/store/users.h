/* Accounts, sessions and counties. */
#ifndef YQ_STORE_USERS_H
#define YQ_STORE_USERS_H

#include "store/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct user {
    char id[27];
    char username[64];
    char role[24];
    char display_name[260]; /* 64 characters of up to 4 bytes */
    char county_code[16]; /* "" when none */
    char county_name[128];
    char password_hash[160];
    bool locked;
    int64_t created_at, updated_at;
};

/* YQ_OK, YQ_ECONFLICT when the username exists, or another status. */
int users_insert(struct db *db, const struct user *u);
/* YQ_OK with *u filled, YQ_ENOTFOUND, or an error status. */
int users_get(struct db *db, const char *id, struct user *u);
int users_get_by_username(struct db *db, const char *username, struct user *u);
int users_set_locked(struct db *db, const char *id, bool locked, int64_t now);
int users_set_password(struct db *db, const char *id, const char *hash, int64_t now);

struct users_filter {
    const char *q;           /* substring of username or display name */
    const char *county_code; /* scope: only this county's accounts */
    const char *role;        /* one role's accounts ("county_it") */
    const char *county;      /* accounts of, or working for, this county */
    int locked;              /* -1 any, 0 in use, 1 locked */
    int64_t offset, limit;
};
/* {"items":[user...], "total":N}; NULL on error. */
json_t *users_list(struct db *db, const struct users_filter *f);

/* The counties assigned to an account (user_counties), ordered by code. */
#define USER_COUNTIES_MAX 32
struct user_counties {
    int n;
    char code[USER_COUNTIES_MAX][16];
};
/* Fills *out with the account's assigned counties (the first
 * USER_COUNTIES_MAX by code). YQ_OK, possibly with none, or an error. */
int user_counties_get(struct db *db, const char *user_id, struct user_counties *out);
/* Replaces the account's assigned counties with codes[0..n), which must be
 * distinct; inside the caller's writing transaction. YQ_OK or an error. */
int user_counties_replace(struct db *db, const char *user_id, const char *const *codes, int n);
/* The public view of an account (no password hash). */
json_t *user_to_json(const struct user *u);

struct session {
    char user_id[27];
    char csrf[65];
    int64_t created_at, last_seen_at;
};

int sessions_insert(struct db *db, const char *token_hash, const char *user_id,
                    const char *csrf, int64_t now, const char *client_addr);
/* The session and its account in one statement (*user_found false when
 * the account is gone): YQ_OK, YQ_ENOTFOUND (no such session), or an
 * error status. */
int sessions_get_with_user(struct db *db, const char *token_hash, struct session *s,
                           struct user *u, bool *user_found);
int sessions_touch(struct db *db, const char *token_hash, int64_t now);
int sessions_delete(struct db *db, const char *token_hash);
int sessions_delete_user(struct db *db, const char *user_id);
/* Every session of the account but the one whose token hashes to keep_hash. */
int sessions_delete_user_except(struct db *db, const char *user_id, const char *keep_hash);

/* {"items":[county...], "total":N}; NULL on error. */
json_t *counties_list(struct db *db);
/* YQ_OK when the county exists, YQ_ENOTFOUND otherwise. */
int counties_exists(struct db *db, const char *code);
/* {code, name, kind, code_is_official} of one county: YQ_OK, YQ_ENOTFOUND,
 * or an error status. */
int counties_get(struct db *db, const char *code, json_t **out);
/* Inserts or updates one county. */
int counties_upsert(struct db *db, const char *code, const char *name, const char *kind,
                    int64_t target_2018, bool official);

#endif
