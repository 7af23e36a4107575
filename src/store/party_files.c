/* Sign-up consents and business licences. */
#include "store/party_files.h"
#include "core/status.h"
#include "store/rows.h"

int signup_consent_insert(struct db *db, const char *user_id, const char *version,
                          int64_t accepted_at, const char *client_addr)
{
    int64_t exists = 0;
    int rc = rows_int(db, &exists, "SELECT COUNT(*) FROM signup_consents WHERE user_id = ?", "t",
                      user_id);
    if (rc != YQ_OK) return rc;
    if (exists) return YQ_ECONFLICT;
    return db_run(db,
                  "INSERT INTO signup_consents(user_id, version, accepted_at, client_addr)"
                  " VALUES (?,?,?,?)",
                  "ttit", user_id, version, accepted_at, client_addr ? client_addr : "");
}

int signup_consent_get(struct db *db, const char *user_id, json_t **out)
{
    return rows_one(db, out, "SELECT version, accepted_at FROM signup_consents WHERE user_id = ?",
                    "t", user_id);
}

int party_licence_put(struct db *db, const struct party_licence *l)
{
    int rc = db_run(db, "DELETE FROM party_licences WHERE party_id = ?", "t", l->party_id);
    if (rc != YQ_OK) return rc;
    rc = db_run(db,
                "INSERT INTO party_licences(party_id, kind, sha256, filename, content_type, size,"
                " uploaded_by, uploaded_at) VALUES (?,?,?,?,?,?,?,?)",
                "ttttt"
                "iti",
                l->party_id, l->kind, l->sha256, l->filename, l->content_type, l->size,
                l->uploaded_by, l->uploaded_at);
    if (rc == YQ_OK && db_changes(db) != 1) return YQ_ERR;
    return rc;
}

int party_licence_get(struct db *db, const char *party_id, json_t **out)
{
    return rows_one(db, out,
                    "SELECT sha256, filename, content_type, size, uploaded_by, uploaded_at FROM"
                    " party_licences WHERE party_id = ?",
                    "t", party_id);
}
