/* Tests of src/cli/config.c: defaults < file < environment < flags. */
#include "test.h"

#include "cli/config.h"
#include "core/status.h"

#include <string.h>

static void test_defaults_are_safe(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    assert_string_equal(c.synchronous, "FULL");
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_int_equal(c.body_max, 1024 * 1024);
    assert_false(c.cookie_secure);
    assert_int_equal(c.per_ip_connections, 64);
    assert_int_equal(c.request_timeout, 60);
    assert_false(c.cookie_secure_set); /* decided by the public URL */
    assert_string_equal(c.metrics_token, "");
    assert_true(c.metrics_loopback);
}

static void test_connection_limits_are_checked(void **state)
{
    (void)state;
    struct config c;
    char err[256];
    config_defaults(&c);
    char *env[] = {"YUNQUAN_PER_IP_CONNECTIONS=8", "YUNQUAN_REQUEST_TIMEOUT=5", NULL};
    assert_int_equal(config_apply_env(&c, env, err, sizeof err), YQ_OK);
    assert_int_equal(c.per_ip_connections, 8);
    assert_int_equal(c.request_timeout, 5);
    assert_int_equal(config_set(&c, "per_ip_connections", "-1", err, sizeof err), YQ_EINVAL);
    assert_non_null(strstr(err, "per_ip_connections"));
    assert_int_equal(config_set(&c, "request_timeout", "3601", err, sizeof err), YQ_EINVAL);
    assert_non_null(strstr(err, "request_timeout"));
    assert_int_equal(config_set(&c, "per_ip_connections", "0", err, sizeof err), YQ_OK);
    assert_int_equal(c.per_ip_connections, 0);
    assert_int_equal(c.request_timeout, 5);
    assert_int_equal(c.public_snapshot_ms, 50);
    assert_int_equal(config_set(&c, "public_snapshot_ms", "60001", err, sizeof err), YQ_EINVAL);
    assert_non_null(strstr(err, "public_snapshot_ms"));
    assert_int_equal(config_set(&c, "public_snapshot_ms", "0", err, sizeof err), YQ_OK);
    assert_int_equal(c.public_snapshot_ms, 0);
}

static void test_metrics_and_cookie_keys_are_checked(void **state)
{
    (void)state;
    struct config c;
    char err[256], key[64];
    config_defaults(&c);
    char *env[] = {"YUNQUAN_METRICS_TOKEN=prometheus-scrape-0123", NULL};
    assert_int_equal(config_apply_env(&c, env, err, sizeof err), YQ_OK);
    assert_string_equal(c.metrics_token, "prometheus-scrape-0123");
    assert_string_equal(config_key_of_flag("--metrics-loopback", key, sizeof key),
                        "metrics_loopback");
    assert_int_equal(config_set(&c, key, "false", err, sizeof err), YQ_OK);
    assert_false(c.metrics_loopback);
    assert_int_equal(config_set(&c, "cookie_secure", "false", err, sizeof err), YQ_OK);
    assert_true(c.cookie_secure_set);
    assert_false(c.cookie_secure);
    assert_int_equal(config_set(&c, "metrics_token", "short", err, sizeof err), YQ_EINVAL);
    assert_int_equal(config_set(&c, "metrics_token", "has space in the token", err, sizeof err),
                     YQ_EINVAL);
    assert_int_equal(config_set(&c, "metrics_loopback", "maybe", err, sizeof err), YQ_EINVAL);
    assert_string_equal(c.metrics_token, "prometheus-scrape-0123");
}

static void test_group_commit_is_auto_unless_said(void **state)
{
    (void)state;
    struct config c;
    char err[256];
    config_defaults(&c);
    assert_true(c.group_commit); /* auto: SQLite groups, PostgreSQL not */
    assert_false(c.group_commit_given);
    assert_int_equal(config_set(&c, "group_commit", "true", err, sizeof err), YQ_OK);
    assert_true(c.group_commit && c.group_commit_given); /* also on PostgreSQL */
    assert_int_equal(config_set(&c, "group_commit", "auto", err, sizeof err), YQ_OK);
    assert_true(c.group_commit);
    assert_false(c.group_commit_given);
    assert_int_equal(config_set(&c, "group_commit", "false", err, sizeof err), YQ_OK);
    assert_false(c.group_commit);
    assert_int_equal(config_set(&c, "group_commit", "sometimes", err, sizeof err), YQ_EINVAL);
    assert_non_null(strstr(err, "group_commit"));
    assert_false(c.group_commit);
}

static void test_file_overrides_defaults(void **state)
{
    (void)state;
    struct config c;
    char err[256];
    config_defaults(&c);
    assert_int_equal(config_apply_ini(&c,
                                      "# comment\n[server]\nthreads = 8\n"
                                      "synchronous=NORMAL\r\n; other\ndb = \"/srv/yq.db\"\n",
                                      err, sizeof err),
                     YQ_OK);
    assert_int_equal(c.threads, 8);
    assert_string_equal(c.synchronous, "NORMAL");
    assert_string_equal(c.db, "/srv/yq.db");
}

/* The footer's facts and the sign-up agreements: unset by default (the
 * footer shows nothing, the built-in texts apply), set from every layer. */
static void test_site_and_agreement_keys(void **state)
{
    (void)state;
    struct config c;
    char err[256], key[64];
    config_defaults(&c);
    assert_string_equal(c.site_host_org, "");
    assert_string_equal(c.site_icp, "");
    assert_string_equal(c.agreement_file, "");
    assert_string_equal(c.agreement_version, "2026-1");
    assert_int_equal(config_apply_ini(&c,
                                      "site_host_org = \"济宁市工业和信息化局\"\n"
                                      "site_icp = 鲁ICP备00000000号-1\n",
                                      err, sizeof err),
                     YQ_OK);
    assert_string_equal(c.site_host_org, "济宁市工业和信息化局");
    assert_string_equal(c.site_icp, "鲁ICP备00000000号-1");
    char *env[] = {"YUNQUAN_SITE_GOV_CODE=3708000000", NULL};
    assert_int_equal(config_apply_env(&c, env, err, sizeof err), YQ_OK);
    assert_string_equal(c.site_gov_code, "3708000000");
    assert_string_equal(config_key_of_flag("--privacy-file", key, sizeof key), "privacy_file");
    assert_int_equal(config_set(&c, key, "/etc/yunquan/privacy.txt", err, sizeof err), YQ_OK);
    assert_string_equal(c.privacy_file, "/etc/yunquan/privacy.txt");
    assert_int_equal(config_set(&c, "agreement_version", "", err, sizeof err), YQ_EINVAL);
    assert_non_null(strstr(err, "agreement_version"));
    assert_string_equal(c.agreement_version, "2026-1");
    char longer[300];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(config_set(&c, "site_contact", longer, err, sizeof err), YQ_EINVAL);
    assert_non_null(strstr(err, "site_contact"));
}

static void test_environment_overrides_file_and_flags_override_environment(void **state)
{
    (void)state;
    struct config c;
    char err[256], key[64];
    config_defaults(&c);
    assert_int_equal(config_apply_ini(&c, "threads = 8\nlisten = 0.0.0.0:80\n", err, sizeof err),
                     YQ_OK);
    char *env[] = {"YUNQUAN_THREADS=3", "PATH=/bin", "YUNQUAN_DB=/env.db", NULL};
    assert_int_equal(config_apply_env(&c, env, err, sizeof err), YQ_OK);
    assert_int_equal(c.threads, 3);
    assert_string_equal(c.listen, "0.0.0.0:80");
    assert_string_equal(c.db, "/env.db");
    assert_non_null(config_key_of_flag("--threads", key, sizeof key));
    assert_int_equal(config_set(&c, key, "2", err, sizeof err), YQ_OK);
    assert_int_equal(c.threads, 2);
    assert_string_equal(c.db, "/env.db");
}

static void test_bad_values_are_refused_with_the_key_named(void **state)
{
    (void)state;
    struct config c;
    char err[256];
    config_defaults(&c);
    assert_int_equal(config_set(&c, "threads", "0", err, sizeof err), YQ_EINVAL);
    assert_non_null(strstr(err, "threads"));
    assert_int_equal(config_set(&c, "threads", "4x", err, sizeof err), YQ_EINVAL);
    assert_int_equal(config_set(&c, "synchronous", "full", err, sizeof err), YQ_EINVAL);
    assert_int_equal(config_set(&c, "listen", "8080", err, sizeof err), YQ_EINVAL);
    assert_int_equal(config_set(&c, "nonsense", "1", err, sizeof err), YQ_EINVAL);
    assert_int_equal(c.threads, 4);
    /* write threads: 0 (the workers run writes) up to 256; unset, serve
     * chooses by backend (-1) */
    assert_int_equal(c.write_threads, -1);
    assert_int_equal(config_set(&c, "write_threads", "257", err, sizeof err), YQ_EINVAL);
    assert_non_null(strstr(err, "write_threads"));
    assert_int_equal(config_set(&c, "write_threads", "-1", err, sizeof err), YQ_EINVAL);
    assert_int_equal(c.write_threads, -1);
    assert_int_equal(config_set(&c, "write_threads", "0", err, sizeof err), YQ_OK);
    assert_int_equal(c.write_threads, 0);
    assert_int_equal(config_apply_ini(&c, "threads 4\n", err, sizeof err), YQ_EINVAL);
    assert_non_null(strstr(err, "1"));
    char *env[] = {"YUNQUAN_THREADS=many", NULL};
    assert_int_equal(config_apply_env(&c, env, err, sizeof err), YQ_EINVAL);
    assert_non_null(strstr(err, "YUNQUAN_THREADS"));
}

static void test_flag_names_map_to_keys(void **state)
{
    (void)state;
    char key[64];
    assert_string_equal(config_key_of_flag("--web-root", key, sizeof key), "web_root");
    assert_string_equal(config_key_of_flag("--body-max=5", key, sizeof key), "body_max");
    assert_null(config_key_of_flag("--username", key, sizeof key));
    assert_null(config_key_of_flag("threads", key, sizeof key));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_are_safe),
        cmocka_unit_test(test_group_commit_is_auto_unless_said),
        cmocka_unit_test(test_file_overrides_defaults),
        cmocka_unit_test(test_environment_overrides_file_and_flags_override_environment),
        cmocka_unit_test(test_bad_values_are_refused_with_the_key_named),
        cmocka_unit_test(test_flag_names_map_to_keys),
        cmocka_unit_test(test_connection_limits_are_checked),
        cmocka_unit_test(test_metrics_and_cookie_keys_are_checked),
        cmocka_unit_test(test_site_and_agreement_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
