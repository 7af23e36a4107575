/* Tests of src/core/forwarded.c: X-Forwarded-For is believed only from
 * trusted proxies. */
#include "test.h"

#include "core/forwarded.h"
#include "core/status.h"

#include <string.h>

static struct proxy_list list(const char *spec)
{
    struct proxy_list l;
    char err[256];
    assert_int_equal(proxy_list_parse(spec, &l, err, sizeof err), YQ_OK);
    return l;
}

static const char *client(const struct proxy_list *l, const char *peer, const char *xff)
{
    static char out[64];
    forwarded_client_addr(l, peer, xff, out, sizeof out);
    return out;
}

static void test_without_trusted_proxies_the_header_is_ignored(void **state)
{
    (void)state;
    struct proxy_list none = list("");
    assert_int_equal(none.n, 0);
    assert_string_equal(client(&none, "127.0.0.1", "10.9.8.7"), "127.0.0.1");
}

static void test_a_trusted_proxy_names_the_client(void **state)
{
    (void)state;
    struct proxy_list l = list("127.0.0.1");
    assert_string_equal(client(&l, "127.0.0.1", "203.0.113.5"), "203.0.113.5");
    assert_string_equal(client(&l, "127.0.0.1", " 203.0.113.5 "), "203.0.113.5");
    /* No header: the proxy itself. */
    assert_string_equal(client(&l, "127.0.0.1", NULL), "127.0.0.1");
}

static void test_an_untrusted_peer_cannot_choose_its_address(void **state)
{
    (void)state;
    struct proxy_list l = list("127.0.0.1");
    assert_string_equal(client(&l, "127.0.0.2", "203.0.113.5"), "127.0.0.2");
}

static void test_addresses_the_client_wrote_left_of_the_proxys_are_not_believed(void **state)
{
    (void)state;
    struct proxy_list l = list("10.0.0.0/8, 127.0.0.1");
    /* the client sent "1.1.1.1"; our proxies appended the client and 10.0.0.7 */
    assert_string_equal(client(&l, "127.0.0.1", "1.1.1.1, 198.51.100.9, 10.0.0.7"), "198.51.100.9");
    /* all hops trusted: the leftmost */
    assert_string_equal(client(&l, "127.0.0.1", "10.1.2.3,10.0.0.7"), "10.1.2.3");
}

static void test_a_malformed_entry_stops_at_the_last_good_hop(void **state)
{
    (void)state;
    struct proxy_list l = list("127.0.0.1, 10.0.0.0/8");
    assert_string_equal(client(&l, "127.0.0.1", "unknown"), "127.0.0.1");
    assert_string_equal(client(&l, "127.0.0.1", "1.2.3.4, garbage, 10.0.0.7"), "10.0.0.7");
    assert_string_equal(client(&l, "127.0.0.1", "203.0.113.5,"), "127.0.0.1");
}

static void test_ports_and_ipv6_are_understood(void **state)
{
    (void)state;
    struct proxy_list l = list("::1 192.168.0.0/16");
    assert_string_equal(client(&l, "::1", "203.0.113.5:4711"), "203.0.113.5");
    assert_string_equal(client(&l, "::1", "[2001:DB8::1]:443"), "2001:db8::1");
    assert_string_equal(client(&l, "::ffff:192.168.1.1", "2001:db8::2"), "2001:db8::2");
    assert_true(proxy_list_contains(&l, "192.168.200.1"));
    assert_false(proxy_list_contains(&l, "192.169.0.1"));
}

static void test_resolving_twice_changes_nothing(void **state)
{
    (void)state;
    struct proxy_list l = list("127.0.0.1");
    char once[64], twice[64];
    forwarded_client_addr(&l, "127.0.0.1", "203.0.113.5", once, sizeof once);
    forwarded_client_addr(&l, once, "203.0.113.5", twice, sizeof twice);
    assert_string_equal(once, twice);
    /* in place */
    char buf[64] = "127.0.0.1";
    forwarded_client_addr(&l, buf, "198.51.100.1", buf, sizeof buf);
    assert_string_equal(buf, "198.51.100.1");
}

static void test_bad_lists_are_refused_by_entry(void **state)
{
    (void)state;
    struct proxy_list l;
    char err[256];
    const char *bad[] = {"localhost", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1",
                         "::1/129",   "1.2.3",       NULL};
    for (int i = 0; bad[i]; i++) {
        assert_int_equal(proxy_list_parse(bad[i], &l, err, sizeof err), YQ_EINVAL);
        assert_non_null(strstr(err, "可信代理"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_without_trusted_proxies_the_header_is_ignored),
        cmocka_unit_test(test_a_trusted_proxy_names_the_client),
        cmocka_unit_test(test_an_untrusted_peer_cannot_choose_its_address),
        cmocka_unit_test(test_addresses_the_client_wrote_left_of_the_proxys_are_not_believed),
        cmocka_unit_test(test_a_malformed_entry_stops_at_the_last_good_hop),
        cmocka_unit_test(test_ports_and_ipv6_are_understood),
        cmocka_unit_test(test_resolving_twice_changes_nothing),
        cmocka_unit_test(test_bad_lists_are_refused_by_entry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
