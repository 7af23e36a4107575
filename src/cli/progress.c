/* A progress bar on a terminal (stderr), plain lines every few seconds
 * otherwise (a log file, CI). Shared by gen and migrate. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct cli_progress cli_progress_start(void)
{
    return (struct cli_progress){.tty = isatty(STDERR_FILENO) == 1, .started = time(NULL)};
}

void cli_progress_show(void *ctx, const char *stage, int64_t done, int64_t total)
{
    struct cli_progress *pr = ctx;
    time_t now = time(NULL);
    bool new_stage = strcmp(pr->stage, stage) != 0;
    if (new_stage && pr->tty && pr->stage[0]) fputc('\n', stderr);
    snprintf(pr->stage, sizeof pr->stage, "%s", stage);
    int pct = total > 0 ? (int)(done * 100 / total) : 100;
    if (pr->tty) {
        char bar[41];
        int fill = pct * 40 / 100;
        for (int i = 0; i < 40; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[40] = '\0';
        fprintf(stderr, "\r%-8s [%s] %3d%% %lld/%lld  %llds", stage, bar, pct, (long long)done,
                (long long)total, (long long)(now - pr->started));
        fflush(stderr);
    } else if (new_stage || done == total || now - pr->last_line >= 5) {
        fprintf(stderr, "%s：%lld/%lld（%d%%），已用 %lld 秒\n", stage, (long long)done,
                (long long)total, pct, (long long)(now - pr->started));
        pr->last_line = now;
    }
}
