/* Streaming a list to an export (service/stream.h), over the store's row
 * sink (store/rows.h). */
#include "service/stream.h"
#include "store/rows.h"

#include <string.h>

static _Thread_local struct rows_sink stream;

void service_stream_begin(service_item_fn item, void *ctx, int64_t max)
{
    memset(&stream, 0, sizeof stream);
    stream.row = item;
    stream.ctx = ctx;
    stream.max = max;
    rows_sink_set(&stream);
}

bool service_stream_end(void)
{
    rows_sink_set(NULL);
    bool spent = stream.spent;
    memset(&stream, 0, sizeof stream);
    return spent;
}

void service_stream_map(void (*map)(json_t *item))
{
    rows_sink_map(map);
}
