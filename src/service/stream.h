/* A list streamed to an export (issue 10): the export sets a stream on
 * its thread and runs the list's handler once; the list's rows then go
 * one at a time to the stream's function as the store reads them, with
 * the touches the list's service gives its items, instead of coming back
 * as pages of JSON. Only lists whose items are their store rows touched
 * one by one may be streamed (api/export_specs.c says which). */
#ifndef YQ_SERVICE_STREAM_H
#define YQ_SERVICE_STREAM_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Takes one item (borrowed, freed after it returns) of a list of `total`
 * items; false stops the list. */
typedef bool (*service_item_fn)(void *ctx, int64_t total, json_t *item);

/* Streams the next list read on this thread to `item`, at most `max`
 * items. The list then answers {"items":[], "total":N}. */
void service_stream_begin(service_item_fn item, void *ctx, int64_t max);
/* Ends it. Returns true when a list was streamed (every item went to the
 * function), false when none was read (the items, if any, are in the
 * list the handler answered). */
bool service_stream_end(void);
/* For a list's service: the touch its items get (a status's name, a sum),
 * given to streamed items too. Nothing when no stream is on. */
void service_stream_map(void (*map)(json_t *item));

#endif
