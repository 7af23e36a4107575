/* Shared numbers (see seq.h). */
#include "store/seq.h"
#include "core/status.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *sequence, *table, *pg_expr, *sqlite_expr;
} seqs[] = {
    [SEQ_AUDIT] = {"yq_audit_seq", "audit_log", "nextval('yq_audit_seq')",
                   "(SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log)"},
    [SEQ_LEDGER] = {"yq_ledger_seq", "ledger_transfers", "nextval('yq_ledger_seq')",
                    "(SELECT COALESCE(MAX(seq), 0) + 1 FROM ledger_transfers)"},
};

static bool postgres(struct db *db)
{
    return strcmp(db_driver(db), "postgresql") == 0;
}

const char *seq_expr(struct db *db, enum seq_name which)
{
    return postgres(db) ? seqs[which].pg_expr : seqs[which].sqlite_expr;
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
