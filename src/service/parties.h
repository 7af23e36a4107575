/* Enterprises and providers: sign-up, profile, submission, review
 * (SPEC §3), and the checks the negative list imposes at sign-up (§8). */
#ifndef YQ_SERVICE_PARTIES_H
#define YQ_SERVICE_PARTIES_H

#include "core/problem.h"
#include "service/actor.h"
#include "service/auth.h"
#include "store/db.h"
#include "store/standing.h"

#include <jansson.h>

struct signup_input {
    const char *role; /* "enterprise" | "provider" */
    const char *username, *password, *uscc, *name, *county_code;
    /* Not counted against the address's sign-up limit: only for code the
     * operator runs (the demo loader), never for a request. */
    bool unlimited;
    /* The version of the user agreement and privacy notice the person
     * consented to, recorded with the account (NULL: none, for accounts
     * the operator creates). */
    const char *consent_version;
};

/* Creates the account and a draft enterprise or provider and signs in, all
 * in one transaction: it commits wholly (YQ_OK with out, *party and *me,
 * the account as /auth/me shows it, filled; the caller owns the JSON) or
 * not at all. The fields are checked first; then the attempt is counted
 * against the address's sign-up limit (429); then the negative list (403),
 * the USCC (409 uscc_registered) and the username (409
 * username_unavailable, the same for a taken and a reserved name) are
 * checked, all before the password is hashed (503 when the hash gate is
 * full). */
int parties_signup(struct db *db, const struct signup_input *in, const char *client_addr,
                   const char *request_id, struct login_result *out, json_t **party,
                   json_t **me, struct problem *p);

/* The account as /auth/me shows it: its public view, the role's name, its
 * enterprise or provider, an evaluator's counties. NULL on a database
 * error. */
json_t *parties_me(struct db *db, const struct user *u);

/* Kinds of party. */
/* enum party_kind comes from store/standing.h. */

/* One record within the actor's scope (404 outside it), rendered for the
 * API; officials also get the reviewer's warnings. */
json_t *parties_read(struct db *db, const struct actor *a, enum party_kind kind, const char *id,
                     struct problem *p);
/* The actor's own enterprise or provider, or NULL (YQ_ENOTFOUND). */
json_t *parties_mine(struct db *db, const struct actor *a, enum party_kind kind, struct problem *p);
/* The owner edits the profile (draft or rejected only). */
json_t *parties_edit(struct db *db, const struct actor *a, enum party_kind kind, const char *id,
                     json_t *changes, struct problem *p);
/* The owner submits (or resubmits) for review; every required field must
 * be filled. */
json_t *parties_submit(struct db *db, const struct actor *a, enum party_kind kind, const char *id,
                       struct problem *p);
/* Review: county_it approves enterprises of its county, city_it providers. */
json_t *parties_review(struct db *db, const struct actor *a, enum party_kind kind, const char *id,
                       bool approve, const char *reason, struct problem *p);
/* 集中审核: approves each id on its own; {"approved":[…], "failed":[{id,code,message}]}. */
json_t *parties_batch_approve(struct db *db, const struct actor *a, json_t *ids, struct problem *p);

struct party_query {
    const char *status, *industry, *tag, *flag, *q, *kind, *county;
    int64_t from_ms, to_ms; /* registered in [from, to); 0 = open */
    int warnings;
    int64_t offset, limit;
};
/* The list the actor may see. */
json_t *parties_list(struct db *db, const struct actor *a, enum party_kind kind,
                     const struct party_query *q, struct problem *p);

/* Applies the effect of a new negative-list entry on parties with that
 * USCC (disqualified), or of a lifted one (back to review). Runs inside
 * the caller's transaction. */
int parties_apply_negative_list(struct db *db, const struct actor *a, const char *uscc, bool listed,
                                struct problem *p);

/* {kind, id, name, status} of the enterprise or provider an account
 * belongs to, or JSON null for officials; NULL on a database error. */
json_t *parties_summary(struct db *db, const struct user *u);

/* A provider finds the enterprise it is contracting with by USCC: only
 * approved enterprises, only id, name and county. */
json_t *parties_lookup_enterprise(struct db *db, const char *uscc, struct problem *p);

/* The business licence (营业执照) of an enterprise or a provider: PDF,
 * JPEG or PNG recognised by content, at most LICENCE_MAX bytes (413
 * otherwise). Only the party's own account uploads it, while the record is
 * not yet approved (409 otherwise); a new one replaces the one before. The
 * answer is the licence's metadata. */
#define LICENCE_MAX (10L * 1024 * 1024)
json_t *parties_licence_put(struct db *db, const struct actor *a, enum party_kind k,
                            const char *id, const char *data_dir, const char *filename,
                            const void *data, size_t len, struct problem *p);
/* Opens the licence for reading: only the party's own account and its
 * reviewers (county_it of the enterprise's county and city_it for an
 * enterprise, city_it for a provider); 404 for anyone else and when none
 * was uploaded. A file descriptor, or -1 with p filled. */
int parties_licence_open(struct db *db, const struct actor *a, enum party_kind k, const char *id,
                         const char *data_dir, char content_type[64], char filename[256],
                         struct problem *p);
/* Adds "licence" (metadata, no content) to the rendered record r when the
 * actor may fetch it and one was uploaded. YQ_OK or a database status. */
int parties_licence_render(struct db *db, const struct actor *a, enum party_kind k, json_t *r,
                           json_t *o);

/* The city's division prefix (e.g. "3708"), from the oldest program
 * ("3708" while there is none). YQ_OK or a database status. */
int parties_city_prefix(struct db *db, char out[8]);

#endif
