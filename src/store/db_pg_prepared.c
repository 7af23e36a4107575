/* Statements prepared once per connection (see db_pg_prepared.h). */
#include "store/db_pg_prepared.h"
#include "core/mem.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PG_PREPARED_MAX 1024

struct pg_prepared {
    char *key; /* the SQL, then '\0', then the parameter types as text */
    size_t keylen;
    uint32_t hash;
    char name[16];
};

bool pg_preparable(const char *sql)
{
    while (isspace((unsigned char)*sql))
        sql++;
    static const char *const kw[] = {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"};
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++) {
        size_t n = strlen(kw[i]);
        if (strncasecmp(sql, kw[i], n) == 0 && !isalnum((unsigned char)sql[n])) return true;
    }
    return false;
}

const char *pg_prepared_name(PGconn *conn, struct pg_prepared_cache *c, const char *sql,
                             int nparams, const Oid *types, bool may_prepare,
                             PGresult **failed)
{
    *failed = NULL;
    if (!pg_preparable(sql)) return "";
    size_t sqllen = strlen(sql), keylen = sqllen + 1 + (size_t)nparams * 11;
    char *key = yq_malloc(keylen + 1);
    memcpy(key, sql, sqllen + 1);
    size_t j = sqllen + 1;
    for (int i = 0; i < nparams; i++)
        j += (size_t)snprintf(key + j, 12, "%u,", (unsigned)types[i]);
    keylen = j;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < keylen; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    if (!c->slots) c->slots = yq_calloc(PG_PREPARED_MAX * 2, sizeof *c->slots);
    size_t slot = h % (PG_PREPARED_MAX * 2);
    for (;; slot = (slot + 1) % (PG_PREPARED_MAX * 2)) {
        struct pg_prepared *e = &c->slots[slot];
        if (!e->key) break;
        if (e->hash == h && e->keylen == keylen && memcmp(e->key, key, keylen) == 0) {
            free(key);
            return e->name;
        }
    }
    if (c->n >= PG_PREPARED_MAX || !may_prepare) {
        free(key);
        return "";
    }
    struct pg_prepared *e = &c->slots[slot];
    snprintf(e->name, sizeof e->name, "yq%d", ++c->nnames);
    PGresult *res = PQprepare(conn, e->name, sql, nparams, types);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        *failed = res;
        free(key);
        return NULL;
    }
    PQclear(res);
    e->key = key;
    e->keylen = keylen;
    e->hash = h;
    c->n++;
    return e->name;
}

void pg_prepared_forget(struct pg_prepared_cache *c)
{
    if (c->slots)
        for (int i = 0; i < PG_PREPARED_MAX * 2; i++)
            free(c->slots[i].key);
    free(c->slots);
    c->slots = NULL;
    c->n = 0;
}
