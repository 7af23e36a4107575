/* Copying a whole installation (see copy.h). */
#include "store/copy.h"
#include "core/mem.h"
#include "core/status.h"
#include "store/migrate.h"
#include "store/rows.h"
#include "store/seq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TABLES 128

struct tables {
    char *name[MAX_TABLES];
    int n;
};

static void tables_free(struct tables *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->name[i]);
    t->n = 0;
}

static int fail(struct copy_report *rep, int rc, const char *fmt, const char *a, const char *b)
{
    snprintf(rep->problem, sizeof rep->problem, fmt, a ? a : "", b ? b : "");
    return rc;
}

/* The user tables of a database (the migrations' bookkeeping included). */
static int list_tables(struct db *db, struct tables *out)
{
    bool pg = strcmp(db_driver(db), "postgresql") == 0;
    struct db_stmt *st = db_query(db,
                                  pg ? "SELECT table_name FROM information_schema.tables WHERE"
                                       " table_schema = current_schema() AND table_type ="
                                       " 'BASE TABLE' ORDER BY table_name"
                                     : "SELECT name FROM sqlite_master WHERE type = 'table' AND"
                                       " name NOT LIKE 'sqlite_%' ORDER BY name",
                                  NULL);
    if (!st) return YQ_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW && out->n < MAX_TABLES)
        out->name[out->n++] = yq_strdup(db_col_text(st, 0));
    db_finalize(st);
    return rc == DB_DONE ? YQ_OK : YQ_ERR;
}

static int index_of(const struct tables *t, const char *name)
{
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->name[i], name) == 0) return i;
    return -1;
}

/* Parents before children: a table comes after every table its foreign
 * keys name (SQLite's pragma_foreign_key_list on the source). */
static int order_by_keys(struct db *src, const struct tables *all, struct tables *out)
{
    bool placed[MAX_TABLES] = {false};
    for (int round = 0; out->n < all->n && round <= all->n; round++) {
        for (int i = 0; i < all->n; i++) {
            if (placed[i]) continue;
            struct db_stmt *st =
                db_query(src, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)", "t",
                         all->name[i]);
            if (!st) return YQ_ERR;
            bool ready = true;
            int rc;
            while ((rc = db_step(st)) == DB_ROW) {
                int k = index_of(all, db_col_text(st, 0));
                if (k >= 0 && k != i && !placed[k]) ready = false;
            }
            db_finalize(st);
            if (rc != DB_DONE) return YQ_ERR;
            if (!ready) continue;
            placed[i] = true;
            out->name[out->n++] = yq_strdup(all->name[i]);
        }
    }
    return out->n == all->n ? YQ_OK : YQ_ECONFLICT; /* a cycle */
}

static int count_rows(struct db *db, const char *table, int64_t *n)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    return rows_int(db, n, sql, "");
}

/* One table's rows into the target, column by column as the source holds
 * them (integers as integers, text as text, NULL as NULL). */
static int copy_table(struct db *src, struct db *dst, const char *table, int64_t total,
                      copy_progress_fn progress, void *ctx, struct copy_report *rep)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
    struct db_stmt *st = db_query(src, sql, NULL);
    if (!st) return fail(rep, YQ_ERR, "读取 %s 失败：%s", table, db_error(src));
    struct db_stmt *ins = NULL;
    int ncols = 0, rc;
    int64_t done = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (!ins) {
            ncols = db_col_count(st);
            size_t cap = 256 + (size_t)ncols * 72;
            char *q = yq_malloc(cap);
            int n = snprintf(q, cap, "INSERT INTO %s (", table);
            for (int c = 0; c < ncols; c++)
                n += snprintf(q + n, cap - (size_t)n, "%s%s", c ? ", " : "", db_col_name(st, c));
            n += snprintf(q + n, cap - (size_t)n, ") VALUES (");
            for (int c = 0; c < ncols; c++)
                n += snprintf(q + n, cap - (size_t)n, "%s?", c ? ", " : "");
            snprintf(q + n, cap - (size_t)n, ")");
            ins = db_prepare(dst, q);
            free(q);
            if (!ins) break;
        }
        for (int c = 0; c < ncols; c++) {
            if (db_col_null(st, c))
                db_bind_null(ins, c + 1);
            else if (db_col_is_int(st, c))
                db_bind_int64(ins, c + 1, db_col_int64(st, c));
            else
                db_bind_text(ins, c + 1, db_col_text(st, c));
        }
        int w = db_step(ins);
        db_finalize(ins); /* cached by the driver: the next prepare is cheap */
        ins = NULL;
        if (w != DB_DONE) {
            rc = w;
            break;
        }
        if (++done % 5000 == 0 && progress) progress(ctx, table, done, total);
    }
    db_finalize(st);
    if (rc != DB_DONE) return fail(rep, YQ_ERR, "写入 %s 失败：%s", table, db_error(dst));
    if (progress) progress(ctx, table, done, total);
    rep->rows += done;
    return YQ_OK;
}

int db_copy_all(struct db *src, struct db *dst, copy_progress_fn progress, void *ctx,
                struct copy_report *rep)
{
    memset(rep, 0, sizeof *rep);
    if (strcmp(db_driver(src), "sqlite") != 0)
        return fail(rep, YQ_EINVAL, "%s%s", "源数据库须为 SQLite 文件", NULL);
    struct tables have = {0}, all = {0}, order = {0};
    int rc = list_tables(dst, &have);
    if (rc == YQ_OK && have.n > 0)
        rc = fail(rep, YQ_ECONFLICT, "目标数据库已有 %s 等数据表：只能迁移到空数据库%s",
                  have.name[0], NULL);
    tables_free(&have);
    if (rc != YQ_OK)
        return rc == YQ_ERR ? fail(rep, rc, "读取目标数据库失败：%s%s", db_error(dst), NULL) : rc;
    if (migrate_version(src) != migrate_latest())
        return fail(rep, YQ_EINVAL, "%s%s",
                    "源数据库的结构不是最新版本：请先用本版本打开一次（yunquan init --db 源）",
                    NULL);
    if ((rc = list_tables(src, &all)) != YQ_OK ||
        (rc = order_by_keys(src, &all, &order)) != YQ_OK) {
        tables_free(&all);
        tables_free(&order);
        return fail(rep, rc, "读取源数据库的表结构失败：%s%s", db_error(src), NULL);
    }
    rc = db_begin_snapshot(src);
    if (rc == YQ_OK) rc = db_begin(dst, true);
    if (rc != YQ_OK) {
        db_rollback(src);
        tables_free(&all);
        tables_free(&order);
        return fail(rep, rc, "无法开始迁移事务：%s%s", db_error(dst), NULL);
    }
    /* The schema too is made inside the copy's transaction (each migration
     * a savepoint of it): a copy that fails leaves the target without a
     * table, as it was, and a second run is not refused. */
    if ((rc = migrate_up(dst)) != YQ_OK)
        fail(rep, rc, "在目标数据库建表失败：%s%s", db_error(dst), NULL);
    /* The rows the migrations seeded in the target (counties, …) give way
     * to the source's own, children first. */
    for (int i = order.n - 1; rc == YQ_OK && i >= 0; i--) {
        if (strcmp(order.name[i], "schema_migrations") == 0) continue;
        char sql[256];
        snprintf(sql, sizeof sql, "DELETE FROM %s", order.name[i]);
        if (db_exec(dst, sql) != YQ_OK)
            rc = fail(rep, YQ_ERR, "清空目标表 %s 失败：%s", order.name[i], db_error(dst));
    }
    for (int i = 0; rc == YQ_OK && i < order.n; i++) {
        const char *t = order.name[i];
        if (strcmp(t, "schema_migrations") == 0) continue;
        int64_t total = 0, copied = 0;
        rc = count_rows(src, t, &total);
        if (rc == YQ_OK) rc = copy_table(src, dst, t, total, progress, ctx, rep);
        if (rc == YQ_OK && (rc = count_rows(dst, t, &copied)) == YQ_OK && copied != total) {
            char counts[64];
            snprintf(counts, sizeof counts, "%lld ≠ %lld", (long long)copied, (long long)total);
            rc = fail(rep, YQ_ERR, "%s 的行数不符：%s", t, counts);
        }
        if (rc == YQ_OK) rep->tables++;
    }
    /* The shared numbers go on after the copied rows' (store/seq.h). */
    if (rc == YQ_OK && (rc = seq_sync(dst)) != YQ_OK)
        fail(rep, rc, "设置序列失败：%s%s", db_error(dst), NULL);
    if (rc == YQ_OK) {
        rc = db_commit(dst);
        if (rc != YQ_OK) fail(rep, rc, "提交失败：%s%s", db_error(dst), NULL);
    } else {
        db_rollback(dst);
    }
    db_rollback(src);
    tables_free(&all);
    tables_free(&order);
    return rc;
}
