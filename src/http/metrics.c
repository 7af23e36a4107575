/* Request metrics kept in fixed tables under one mutex. */
#include "http/metrics.h"
#include "store/db.h"

#include <pthread.h>
#include <string.h>

#define MAX_ROUTES 256
#define MAX_STATUS 16

static const double bucket_le[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
#define NBUCKETS (sizeof bucket_le / sizeof bucket_le[0])

struct status_count {
    int status;
    uint64_t count;
};

static struct {
    pthread_mutex_t lock;
    const struct route *routes;
    size_t nroutes;
    struct status_count counts[MAX_ROUTES + 1][MAX_STATUS];
    uint64_t buckets[NBUCKETS + 1]; /* the last is +Inf */
    uint64_t requests;
    int64_t duration_ns_sum;
    int64_t db_ns_sum;
    uint64_t deadline_closed;
} m = {.lock = PTHREAD_MUTEX_INITIALIZER};

void metrics_init(const struct route *routes, size_t n)
{
    pthread_mutex_lock(&m.lock);
    m.routes = routes;
    m.nroutes = n < MAX_ROUTES ? n : MAX_ROUTES;
    memset(m.counts, 0, sizeof m.counts);
    memset(m.buckets, 0, sizeof m.buckets);
    m.requests = 0;
    m.duration_ns_sum = m.db_ns_sum = 0;
    m.deadline_closed = 0;
    pthread_mutex_unlock(&m.lock);
}

void metrics_observe(int route_index, int status, int64_t duration_ns, int64_t db_ns)
{
    size_t slot = (route_index >= 0 && (size_t)route_index < m.nroutes) ? (size_t)route_index
                                                                         : m.nroutes;
    pthread_mutex_lock(&m.lock);
    struct status_count *row = m.counts[slot];
    for (int i = 0; i < MAX_STATUS; i++) {
        if (row[i].status == status || row[i].status == 0) {
            row[i].status = status;
            row[i].count++;
            break;
        }
    }
    /* Integer comparison against the bucket bounds in ns. */
    size_t b = 0;
    while (b < NBUCKETS && duration_ns > (int64_t)(bucket_le[b] * 1e9)) b++;
    m.buckets[b]++;
    m.requests++;
    m.duration_ns_sum += duration_ns;
    m.db_ns_sum += db_ns;
    pthread_mutex_unlock(&m.lock);
}

void metrics_deadline_closed(int n)
{
    if (n <= 0) return;
    pthread_mutex_lock(&m.lock);
    m.deadline_closed += (uint64_t)n;
    pthread_mutex_unlock(&m.lock);
}

void metrics_render(struct buf *out)
{
    pthread_mutex_lock(&m.lock);
    buf_puts(out, "# HELP yunquan_http_requests_total HTTP requests by route and status.\n"
                  "# TYPE yunquan_http_requests_total counter\n");
    for (size_t r = 0; r <= m.nroutes; r++) {
        const char *method = r < m.nroutes ? m.routes[r].method : "";
        const char *pattern = r < m.nroutes ? m.routes[r].pattern : "(other)";
        for (int i = 0; i < MAX_STATUS && m.counts[r][i].status; i++)
            buf_printf(out,
                       "yunquan_http_requests_total{method=\"%s\",route=\"%s\",status=\"%d\"}"
                       " %llu\n",
                       method, pattern, m.counts[r][i].status,
                       (unsigned long long)m.counts[r][i].count);
    }
    buf_puts(out, "# HELP yunquan_http_request_duration_seconds Time to answer a request.\n"
                  "# TYPE yunquan_http_request_duration_seconds histogram\n");
    uint64_t cumulative = 0;
    for (size_t b = 0; b < NBUCKETS; b++) {
        cumulative += m.buckets[b];
        buf_printf(out, "yunquan_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                   bucket_le[b], (unsigned long long)cumulative);
    }
    cumulative += m.buckets[NBUCKETS];
    buf_printf(out,
               "yunquan_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
               "yunquan_http_request_duration_seconds_sum %.6f\n"
               "yunquan_http_request_duration_seconds_count %llu\n",
               (unsigned long long)cumulative, (double)m.duration_ns_sum / 1e9,
               (unsigned long long)m.requests);
    buf_printf(out,
               "# HELP yunquan_db_seconds_total Time spent in the database while serving"
               " requests.\n"
               "# TYPE yunquan_db_seconds_total counter\n"
               "yunquan_db_seconds_total %.6f\n",
               (double)m.db_ns_sum / 1e9);
    int64_t first_uses = 0, trips = db_round_trips(&first_uses);
    buf_printf(out,
               "# HELP yunquan_db_round_trips_total Round trips to the database server"
               " (PostgreSQL; 0 on SQLite), by every thread of this process.\n"
               "# TYPE yunquan_db_round_trips_total counter\n"
               "yunquan_db_round_trips_total %lld\n"
               "# HELP yunquan_db_prepares_total Of them, statements prepared on their"
               " first use on a connection.\n"
               "# TYPE yunquan_db_prepares_total counter\n"
               "yunquan_db_prepares_total %lld\n",
               (long long)trips, (long long)first_uses);
    buf_printf(out,
               "# HELP yunquan_http_deadline_closed_total Connections cut off because their"
               " request did not arrive within the request timeout.\n"
               "# TYPE yunquan_http_deadline_closed_total counter\n"
               "yunquan_http_deadline_closed_total %llu\n",
               (unsigned long long)m.deadline_closed);
    pthread_mutex_unlock(&m.lock);
}
