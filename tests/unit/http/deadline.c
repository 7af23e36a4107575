/* Tests of src/http/deadline.c: requests past their deadline are cut off,
 * busy ones and fresh ones are not. */
#include "test.h"

#include "http/deadline.h"

#include <sys/socket.h>
#include <unistd.h>

/* Whether the peer of a socket pair sees its end shut down. */
static bool peer_sees_end(int peer)
{
    char c;
    return recv(peer, &c, 1, MSG_DONTWAIT) == 0;
}

/* What the counter hook saw, and whether the socket was still open then. */
static int counted;
static int counted_while_open = -1;
static int late_peer = -1;

static void count_cut(int n)
{
    counted += n;
    counted_while_open = !peer_sees_end(late_peer);
}

static void test_only_requests_past_the_deadline_are_cut_off(void **state)
{
    (void)state;
    deadline_on_cut(count_cut);
    int late[2], busy[2], fresh[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, late), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, busy), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fresh), 0);
    struct deadline_watch *wl = deadline_watch_new(late[0]);
    struct deadline_watch *wb = deadline_watch_new(busy[0]);
    usleep(30 * 1000);
    struct deadline_watch *wf = deadline_watch_new(fresh[0]);
    deadline_busy(wb, true);
    late_peer = late[1];
    assert_int_equal(deadline_sweep(20 * 1000 * 1000), 1); /* 20 ms */
    /* counted before the socket was shut down (a client sees it counted) */
    assert_int_equal(counted, 1);
    assert_int_equal(counted_while_open, 1);
    assert_true(peer_sees_end(late[1]));
    assert_false(peer_sees_end(busy[1]));
    assert_false(peer_sees_end(fresh[1]));
    assert_int_equal(deadline_sweep(20 * 1000 * 1000), 0); /* once only */
    assert_int_equal(counted, 1);
    deadline_on_cut(NULL);
    assert_int_equal(deadline_sweep(0), 0);                 /* 0: no deadline */
    deadline_watch_free(wl);
    deadline_watch_free(wb);
    deadline_watch_free(wf);
    for (int i = 0; i < 2; i++) {
        close(late[i]);
        close(busy[i]);
        close(fresh[i]);
    }
}

static void test_an_answered_request_restarts_the_clock_and_uploads_get_more(void **state)
{
    (void)state;
    int a[2], b[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
    struct deadline_watch *wa = deadline_watch_new(a[0]);
    struct deadline_watch *wb = deadline_watch_new(b[0]);
    deadline_extend(wb, 10LL * 1000 * 1000 * 1000);
    usleep(30 * 1000);
    deadline_busy(wa, true);
    deadline_busy(wa, false); /* answered: the next request starts now */
    assert_int_equal(deadline_sweep(20 * 1000 * 1000), 0);
    assert_false(peer_sees_end(a[1]));
    assert_false(peer_sees_end(b[1]));
    deadline_watch_free(wa);
    deadline_watch_free(wb);
    for (int i = 0; i < 2; i++) {
        close(a[i]);
        close(b[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_requests_past_the_deadline_are_cut_off),
        cmocka_unit_test(test_an_answered_request_restarts_the_clock_and_uploads_get_more),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
