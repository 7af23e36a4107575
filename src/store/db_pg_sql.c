/* The SQL text the PostgreSQL driver sends (db_pg.c): the portable SQL
 * above the db interface, in PostgreSQL's dialect. */
#include "store/db_pg_sql.h"

#include "core/mem.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* `LIKE ?` at a word boundary: SQLite's LIKE ignores ASCII case, so a
 * search for "abc" finds "ABC"; PostgreSQL's LIKE does not, its ILIKE does. */
static bool like_param_at(const char *sql, size_t i)
{
    if (strncmp(sql + i, "LIKE", 4) != 0) return false;
    if (i > 0 && (isalnum((unsigned char)sql[i - 1]) || sql[i - 1] == '_')) return false;
    const char *p = sql + i + 4;
    if (*p != ' ') return false;
    while (*p == ' ')
        p++;
    return *p == '?';
}

char *pg_sql_convert(const char *sql, int *nparams)
{
    size_t n = strlen(sql);
    char *out = yq_malloc(n * 4 + 1);
    size_t j = 0;
    int count = 0;
    char quote = 0;
    for (size_t i = 0; i < n; i++) {
        char c = sql[i];
        if (quote) {
            if (c == quote) quote = 0;
            out[j++] = c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            out[j++] = c;
        } else if (c == '?') {
            j += (size_t)snprintf(out + j, 8, "$%d", ++count);
        } else if (c == 'L' && like_param_at(sql, i)) {
            memcpy(out + j, "ILIKE", 5);
            j += 5;
            i += 3;
        } else {
            out[j++] = c;
        }
    }
    out[j] = '\0';
    *nparams = count;
    return out;
}
