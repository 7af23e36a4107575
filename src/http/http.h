/* http: the server and what handlers use. Modules:
 *   server.h   libmicrohttpd server, static files, shutdown
 *   request.h  request data and replies
 *   router.h   declarative route table and matcher
 *   json.h     JSON bodies with field-level errors
 *   metrics.h  Prometheus metrics
 */
#ifndef YQ_HTTP_H
#define YQ_HTTP_H

#include "http/json.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/router.h"
#include "http/server.h"

#endif
