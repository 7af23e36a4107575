/* The portable SQL above the db interface, in PostgreSQL's dialect
 * (db_pg.c). Private to store/. */
#ifndef YQ_STORE_DB_PG_SQL_H
#define YQ_STORE_DB_PG_SQL_H

/* `?` → `$n` and `LIKE ?` → `ILIKE $n`, outside quoted strings and
 * identifiers; *nparams, the number of `?`. The caller frees it. */
char *pg_sql_convert(const char *sql, int *nparams);

#endif
