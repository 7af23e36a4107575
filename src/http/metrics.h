/* Prometheus metrics: requests by route and status, a latency histogram,
 * and database time. Thread-safe. */
#ifndef YQ_HTTP_METRICS_H
#define YQ_HTTP_METRICS_H

#include "core/buf.h"
#include "http/router.h"

#include <stddef.h>
#include <stdint.h>

void metrics_init(const struct route *routes, size_t n);
/* route_index -1 for requests that matched no route (static files, 404). */
void metrics_observe(int route_index, int status, int64_t duration_ns, int64_t db_ns);
/* Counts connections cut off at their request deadline (http/deadline.h). */
void metrics_deadline_closed(int n);
/* Appends the text exposition format to out. */
void metrics_render(struct buf *out);

#endif
