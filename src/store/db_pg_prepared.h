/* Statements prepared once per PostgreSQL connection (db_pg.c): parsed
 * and analysed by the server on their first use, then each execution is
 * one Bind/Execute with nothing to parse. Private to store/. */
#ifndef YQ_STORE_DB_PG_PREPARED_H
#define YQ_STORE_DB_PG_PREPARED_H

#include <libpq-fe.h>
#include <stdbool.h>

/* A fixed table, filled until full; what does not fit runs unnamed. */
struct pg_prepared_cache {
    struct pg_prepared *slots; /* open addressing, PG_PREPARED_MAX * 2 */
    int n;
    int nnames; /* names given on this connection, never reused */
};

/* Only plain data statements are prepared (a transaction's reads and
 * writes); the rest (SAVEPOINT …) runs unnamed. */
bool pg_preparable(const char *sql);

/* The name of the statement (sql with nparams parameters of these types)
 * prepared on conn, preparing it on its first use when may_prepare (no
 * pipeline open); "" when it runs unnamed (not preparable, table full, not
 * prepared yet). A failure to prepare is the statement's own (the error
 * an unnamed run would meet: parsing, analysis): NULL, with *failed the
 * server's answer for the caller to report and PQclear. */
const char *pg_prepared_name(PGconn *conn, struct pg_prepared_cache *c, const char *sql,
                             int nparams, const Oid *types, bool may_prepare,
                             PGresult **failed);

/* Forgets every prepared statement (they stay on the server, unused,
 * until the connection closes; new ones get new names). */
void pg_prepared_forget(struct pg_prepared_cache *c);

#endif
