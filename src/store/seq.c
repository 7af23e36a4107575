/* Shared numbers (see seq.h). */
#include "store/seq.h"
#include "core/status.h"
#include "store/rows.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *sequence, *table;
} seqs[] = {
    [SEQ_AUDIT] = {"yq_audit_seq", "audit_log"},
    [SEQ_LEDGER] = {"yq_ledger_seq", "ledger_transfers"},
};

static bool postgres(struct db *db)
{
    return strcmp(db_driver(db), "postgresql") == 0;
}

int seq_next(struct db *db, enum seq_name which, int64_t *out)
{
    char sql[96];
    if (postgres(db))
        snprintf(sql, sizeof sql, "SELECT nextval('%s')", seqs[which].sequence);
    else
        snprintf(sql, sizeof sql, "SELECT COALESCE(MAX(seq), 0) + 1 FROM %s", seqs[which].table);
    return rows_int(db, out, sql, NULL);
}

int seq_sync(struct db *db)
{
    if (!postgres(db)) return YQ_OK;
    for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "CREATE SEQUENCE IF NOT EXISTS %s; SELECT setval('%s', (SELECT"
                 " COALESCE(MAX(seq), 0) + 1 FROM %s), false)",
                 seqs[i].sequence, seqs[i].sequence, seqs[i].table);
        int rc = db_exec(db, sql);
        if (rc != YQ_OK) return rc;
    }
    return YQ_OK;
}
