/* The pg_dump command `yunquan backup` prints for a PostgreSQL database
 * (db_pg.c). Private to store/. */
#ifndef YQ_STORE_DB_PG_BACKUP_H
#define YQ_STORE_DB_PG_BACKUP_H

#include <libpq-fe.h>

/* One line a POSIX shell runs as it stands: pg_dump --format=custom into
 * `out_path`, --dbname the connection's settings (where and how to connect,
 * sslmode and certificates included) without the password. The caller
 * frees it; NULL when it would not fit. */
char *pg_dump_command(PGconn *c, const char *out_path);

#endif
