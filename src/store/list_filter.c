/* Date ranges of the list filters as SQL (see list_filter.h). */
#include "store/list_filter.h"

#include <stdio.h>
#include <string.h>

void list_filter_keyword(struct rows_where *w, const struct list_filter *f,
                         const char *const *columns, char pattern[LIST_FILTER_PATTERN])
{
    if (!f->q) return;
    rows_like(pattern, LIST_FILTER_PATTERN, f->q);
    char frag[512] = "(";
    int n = 0;
    for (; columns[n]; n++) {
        size_t used = strlen(frag);
        snprintf(frag + used, sizeof frag - used, "%s%s LIKE ? ESCAPE '\\'", n ? " OR " : "",
                 columns[n]);
    }
    size_t used = strlen(frag);
    snprintf(frag + used, sizeof frag - used, ")");
    rows_where_text(w, frag, pattern, n);
}

void list_filter_instants(struct rows_where *w, const struct list_filter *f, const char *column)
{
    char frag[96];
    if (f->from_ms) {
        snprintf(frag, sizeof frag, "%s >= ?", column);
        rows_where_int(w, frag, f->from_ms);
    }
    if (f->to_ms) {
        snprintf(frag, sizeof frag, "%s < ?", column);
        rows_where_int(w, frag, f->to_ms);
    }
}

void list_filter_days(struct rows_where *w, const struct list_filter *f, const char *column)
{
    char frag[96];
    if (f->from_day[0]) {
        snprintf(frag, sizeof frag, "%s >= ?", column);
        rows_where_text(w, frag, f->from_day, 1);
    }
    if (f->to_day[0]) {
        snprintf(frag, sizeof frag, "%s <= ?", column);
        rows_where_text(w, frag, f->to_day, 1);
    }
}
