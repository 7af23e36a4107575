/* ceiling: the naive SQLite ceiling of a voucher confirmation (issue 12),
 * the reference the rush is measured against. Per transaction, from a C
 * loop on one connection: BEGIN IMMEDIATE, one pool UPDATE with an
 * overdraft guard, one INSERT of a voucher row, COMMIT; WAL at the given
 * synchronous level on the given file (same disk as the server's).
 *
 *   ceiling DB_PATH N [FULL|NORMAL]
 *
 * Prints "ceiling synchronous MODE transactions N seconds S rate R". */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void check(sqlite3 *db, int rc, const char *what)
{
    if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return;
    fprintf(stderr, "ceiling: %s: %s\n", what, sqlite3_errmsg(db));
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: ceiling DB_PATH N [FULL|NORMAL]\n");
        return 2;
    }
    long n = atol(argv[2]);
    const char *mode = argc > 3 ? argv[3] : "FULL";
    if (strcmp(mode, "FULL") != 0 && strcmp(mode, "NORMAL") != 0) {
        fprintf(stderr, "ceiling: synchronous must be FULL or NORMAL\n");
        return 2;
    }
    remove(argv[1]);
    sqlite3 *db;
    check(db, sqlite3_open(argv[1], &db), "open");
    char pragmas[128];
    snprintf(pragmas, sizeof pragmas, "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s;", mode);
    check(db, sqlite3_exec(db, pragmas, NULL, NULL, NULL), "pragmas");
    check(db,
          sqlite3_exec(db,
                       "CREATE TABLE pool (id TEXT PRIMARY KEY, funded BIGINT NOT NULL,"
                       " reserved BIGINT NOT NULL);"
                       "CREATE TABLE vouchers (id TEXT PRIMARY KEY, pool TEXT NOT NULL,"
                       " amount BIGINT NOT NULL, issued_at BIGINT NOT NULL);"
                       "INSERT INTO pool VALUES ('pool:370872:2019', 9000000000000, 0);",
                       NULL, NULL, NULL),
          "schema");
    sqlite3_stmt *begin, *update, *insert, *commit;
    check(db, sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL), "prepare");
    check(db,
          sqlite3_prepare_v2(db,
                             "UPDATE pool SET reserved = reserved + ?1 WHERE id = ?2 AND"
                             " reserved + ?1 <= funded",
                             -1, &update, NULL),
          "prepare");
    check(db, sqlite3_prepare_v2(db, "INSERT INTO vouchers VALUES (?, ?, ?, ?)", -1, &insert, NULL),
          "prepare");
    check(db, sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL), "prepare");
    double t0 = now();
    for (long i = 0; i < n; i++) {
        char id[40];
        snprintf(id, sizeof id, "V%020ld", i);
        check(db, sqlite3_step(begin), "begin");
        sqlite3_reset(begin);
        sqlite3_bind_int64(update, 1, 100000 + i % 1000);
        sqlite3_bind_text(update, 2, "pool:370872:2019", -1, SQLITE_STATIC);
        check(db, sqlite3_step(update), "update");
        sqlite3_reset(update);
        if (sqlite3_changes(db) != 1) {
            fprintf(stderr, "ceiling: the guard refused\n");
            return 2;
        }
        sqlite3_bind_text(insert, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 2, "pool:370872:2019", -1, SQLITE_STATIC);
        sqlite3_bind_int64(insert, 3, 100000 + i % 1000);
        sqlite3_bind_int64(insert, 4, (sqlite3_int64)(now() * 1000));
        check(db, sqlite3_step(insert), "insert");
        sqlite3_reset(insert);
        check(db, sqlite3_step(commit), "commit");
        sqlite3_reset(commit);
    }
    double secs = now() - t0;
    printf("ceiling synchronous %s transactions %ld seconds %.3f rate %.1f\n", mode, n, secs,
           (double)n / secs);
    sqlite3_finalize(begin);
    sqlite3_finalize(update);
    sqlite3_finalize(insert);
    sqlite3_finalize(commit);
    sqlite3_close(db);
    return 0;
}
