/* cli: the `yunquan` subcommands (SPEC §13). Modules:
 *   config.h   settings and their precedence
 *   args.c     command-line parsing shared by every subcommand
 *   cmd_db.c   init, demo, backup, audit verify, version
 *   cmd_user.c user add | passwd | lock
 *   cmd_serve.c serve
 *   cmd_import.c import enterprises (CSV, UTF-8 or GBK)
 *   cmd_gen.c  gen: the province-scale benchmark data set
 *   cmd_migrate.c migrate: a whole installation from SQLite to another database
 *   cmd_export.c export: a list as Excel or CSV, as the web exports it
 *   cmd_calendar.c calendar import | show: the official calendar's years
 *   progress.c the progress bar of long commands
 */
#ifndef YQ_CLI_H
#define YQ_CLI_H

#include "cli/config.h"
#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define CLI_MAX_OPTS 16

/* One subcommand's parsed command line. */
struct cli_args {
    struct config cfg;
    bool help;
    int npos;
    const char *pos[8];
    int nopts;
    struct {
        const char *name; /* without the dashes */
        const char *value; /* "" for switches */
    } opts[CLI_MAX_OPTS];
};

/* Extra options a subcommand takes: "username=", "password-stdin" (a
 * switch has no '='). */
struct cli_spec {
    const char *usage;
    const char *const *options;
};

/* Applies config file, environment and flags in that order. Returns 0, or
 * prints the problem and returns 2. */
int cli_parse(int argc, char **argv, const struct cli_spec *spec, struct cli_args *a);
const char *cli_opt(const struct cli_args *a, const char *name);
/* Opens the database named by the configuration and applies migrations;
 * prints the reason and returns NULL on failure. */
struct db *cli_open_db(const struct cli_args *a);
/* The same for commands that work on an installation (backup, audit
 * verify, ledger check, user, import, jobs run): a SQLite file that does
 * not exist is an error, not a new empty database made on the spot. */
struct db *cli_open_existing_db(const struct cli_args *a);
/* The same; `migrate` false leaves the schema as it is (backup copies the
 * database as it stands). A database that is not Yunquan's (no migrations
 * recorded: an empty file, another program's) is refused unchanged. */
struct db *cli_open_installation(const struct cli_args *a, bool migrate);
/* Reads at most max + 1 bytes of a file (so that one over the cap is told
 * apart: *len > max), NUL-terminated. NULL, with the reason printed, when
 * it cannot be read. */
char *cli_read_file(const char *path, size_t max, size_t *len);
/* Sets the program clock from `now` and `clock_file` settings. 0 or 2. */
int cli_setup_clock(const struct config *c);

int cmd_init(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_ledger(int argc, char **argv);
int cmd_jobs(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_calendar(int argc, char **argv);

/* A progress bar on stderr when it is a terminal, else a line every 5 s. */
struct cli_progress {
    bool tty;
    time_t started, last_line;
    char stage[64];
};
struct cli_progress cli_progress_start(void);
/* (ctx = struct cli_progress *) `done` of `total` in `stage`. */
void cli_progress_show(void *ctx, const char *stage, int64_t done, int64_t total);

/* The periodic jobs of a running server (voucher expiry), on a thread of
 * their own with their own database connection. */
void jobs_start(const char *db_url, const char *synchronous, int grace_days);
void jobs_stop(void);

#endif
