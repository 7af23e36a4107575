/* `yunquan user add | passwd | lock | unlock`: account administration for
 * the operator, audited as "cli:<login>". Passwords only on stdin. */
#include "cli/cli.h"
#include "core/status.h"
#include "service/accounts.h"
#include "service/actor.h"
#include "service/guard.h"

#include <stdio.h>
#include <string.h>

static const char *const user_options[] = {"username=", "role=", "county=", "display-name=",
                                           "password-stdin", "unlock", "address=", NULL};

static const struct cli_spec user_spec = {
    "用法：\n"
    "  yunquan user add --username U --role R [--county CODE] [--display-name NAME]"
    " --password-stdin\n"
    "  yunquan user passwd --username U --password-stdin\n"
    "  yunquan user lock --username U [--unlock]\n"
    "  yunquan user unlock --username U [--address IP]\n"
    "                      启用账号，并解除其在所有地址上的登录限速；给出 --address 时\n"
    "                      同时解除该地址自身的限速与注册限额（lock --unlock 同 unlock）\n"
    "  yunquan user unlock --address IP    解除某客户端地址的全部登录限速与注册限额\n"
    "角色：county_it county_finance evaluator city_it city_finance auditor admin\n"
    "（企业和云服务商账号由本人在平台注册，连同统一社会信用代码等资料一起登记）\n"
    "county_it、county_finance、evaluator 须指定 --county（如 370811）。\n"
    "  --db PATH           数据库文件，默认 var/yunquan.db\n",
    user_options};

static int read_password(char *out, size_t n)
{
    if (!fgets(out, (int)n, stdin)) {
        fprintf(stderr, "yunquan: 未能从标准输入读到密码\n");
        return 2;
    }
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

static int report(const struct problem *p)
{
    fprintf(stderr, "yunquan: %s%s%s\n", p->message, p->field[0] ? " 字段：" : "", p->field);
    return p->status == YQ_EINVAL || p->status == YQ_ECONFLICT || p->status == YQ_ENOTFOUND ? 2
                                                                                            : 1;
}

/* `user unlock --address IP`: clears every throttle row of the address. */
static int unlock_address(struct cli_args *a, const char *address)
{
    struct db *db = cli_open_existing_db(a);
    if (!db) return 1;
    struct actor actor;
    actor_cli(&actor);
    struct problem p;
    problem_clear(&p);
    int64_t cleared = 0;
    int rc = guard_unlock(db, &actor, NULL, address, &cleared, &p);
    db_close(db);
    if (rc != YQ_OK) return report(&p);
    printf("地址 %s 的登录限速与注册限额已解除（%lld 条记录）\n", address, (long long)cleared);
    return 0;
}

int cmd_user(int argc, char **argv)
{
    struct cli_args a;
    int rc = cli_parse(argc, argv, &user_spec, &a);
    if (rc) return rc;
    if (a.help || a.npos != 1) {
        fputs(user_spec.usage, a.help ? stdout : stderr);
        return a.help ? 0 : 2;
    }
    const char *action = a.pos[0];
    if (strcmp(action, "add") != 0 && strcmp(action, "passwd") != 0 &&
        strcmp(action, "lock") != 0 && strcmp(action, "unlock") != 0) {
        fprintf(stderr, "yunquan: 未知操作 %s\n\n%s", action, user_spec.usage);
        return 2;
    }
    const char *username = cli_opt(&a, "username");
    const char *address = cli_opt(&a, "address");
    if (strcmp(action, "unlock") == 0 && address && !username) return unlock_address(&a, address);
    if (!username) {
        fprintf(stderr, "yunquan: 缺少 --username\n");
        return 2;
    }
    bool unlocking = strcmp(action, "unlock") == 0 || cli_opt(&a, "unlock") != NULL;
    if (address && !unlocking) {
        fprintf(stderr, "yunquan: --address 只用于 unlock\n");
        return 2;
    }
    bool needs_password = strcmp(action, "add") == 0 || strcmp(action, "passwd") == 0;
    char password[256] = "";
    if (needs_password) {
        if (!cli_opt(&a, "password-stdin")) {
            fprintf(stderr, "yunquan: 请用 --password-stdin 从标准输入提供密码\n");
            return 2;
        }
        if ((rc = read_password(password, sizeof password))) return rc;
    }
    struct db *db = cli_open_existing_db(&a);
    if (!db) return 1;
    struct actor actor;
    actor_cli(&actor);
    struct problem p;
    problem_clear(&p);
    struct user u;
    if (strcmp(action, "add") == 0) {
        const char *role = cli_opt(&a, "role");
        const char *name = cli_opt(&a, "display-name");
        struct account_input in = {username, password, role ? role : "", name ? name : username,
                                   cli_opt(&a, "county")};
        rc = accounts_create(db, &actor, &in, false, &u, &p);
        if (rc == YQ_OK) printf("已创建账号 %s（%s）\n", u.username, role_name_zh(role_parse(u.role)));
    } else if ((rc = accounts_find(db, username, &u, &p)) == YQ_OK) {
        if (strcmp(action, "passwd") == 0) {
            rc = accounts_set_password(db, &actor, u.id, password, &p);
            if (rc == YQ_OK) printf("已更新 %s 的密码，原有登录会话已失效\n", username);
        } else {
            bool unlock = unlocking;
            rc = accounts_set_locked(db, &actor, u.id, !unlock, &u, &p);
            int64_t cleared;
            if (rc == YQ_OK && unlock && address)
                rc = guard_unlock(db, &actor, username, address, &cleared, &p);
            if (rc == YQ_OK)
                printf("账号 %s 已%s\n", username, unlock ? "启用，登录限速已解除" : "停用");
        }
    }
    db_close(db);
    return rc == YQ_OK ? 0 : report(&p);
}
