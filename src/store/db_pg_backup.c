/* The pg_dump command for `yunquan backup` on PostgreSQL (see
 * db_pg_backup.h). */
#include "store/db_pg_backup.h"
#include "core/buf.h"

#include <stdbool.h>
#include <string.h>

static void buf_append1(struct buf *b, char c)
{
    buf_append(b, &c, 1);
}

/* `s` into `out` between single quotes for a POSIX shell (' as '\''). */
static void shell_quote(struct buf *out, const char *s)
{
    buf_append1(out, '\'');
    for (; *s; s++)
        if (*s == '\'')
            buf_puts(out, "'\\''");
        else
            buf_append1(out, *s);
    buf_append1(out, '\'');
}

/* The connection's settings as a libpq connection string for pg_dump
 * --dbname: every one the URL may carry that says where and how to
 * connect (sslmode, certificates, …), never the password. */
static void dump_conninfo(PGconn *c, struct buf *out)
{
    static const char *const keep[] = {"host",           "hostaddr",
                                       "port",           "user",
                                       "dbname",         "sslmode",
                                       "sslcert",        "sslkey",
                                       "sslrootcert",    "sslcrl",
                                       "sslcompression", "gssencmode",
                                       "krbsrvname",     "target_session_attrs",
                                       "options",        NULL};
    PQconninfoOption *opts = PQconninfo(c);
    for (PQconninfoOption *o = opts; o && o->keyword; o++) {
        bool wanted = false;
        for (int i = 0; keep[i]; i++)
            if (strcmp(o->keyword, keep[i]) == 0) wanted = true;
        /* a setting left at libpq's own default goes without saying */
        if (!wanted || !o->val || !o->val[0] || (o->compiled && strcmp(o->val, o->compiled) == 0))
            continue;
        if (out->len) buf_append1(out, ' ');
        buf_puts(out, o->keyword);
        buf_append1(out, '=');
        bool plain = strcspn(o->val, " \t\n'\\") == strlen(o->val);
        if (plain) {
            buf_puts(out, o->val);
            continue;
        }
        buf_append1(out, '\'');
        for (const char *v = o->val; *v; v++) {
            if (*v == '\'' || *v == '\\') buf_append1(out, '\\');
            buf_append1(out, *v);
        }
        buf_append1(out, '\'');
    }
    PQconninfoFree(opts);
}

char *pg_dump_command(PGconn *c, const char *out_path)
{
    struct buf conninfo, cmd;
    buf_init(&conninfo, 64 * 1024);
    buf_init(&cmd, 128 * 1024);
    dump_conninfo(c, &conninfo);
    buf_puts(&cmd, "pg_dump --format=custom --file=");
    shell_quote(&cmd, out_path);
    buf_puts(&cmd, " --dbname=");
    shell_quote(&cmd, conninfo.data ? conninfo.data : "");
    buf_cleanup(&conninfo);
    return buf_steal(&cmd);
}
