#include "fathom/base.h"

#include <pthread.h>
#include <stdio.h>

#include "banned.h"

static fth_log_sink log_sink;
static void *log_data;
static enum fth_log_level log_max = FTH_LOG_WARN;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void fth_log_set_sink(fth_log_sink sink, void *data, enum fth_log_level max)
{
    pthread_mutex_lock(&log_lock);
    log_sink = sink;
    log_data = data;
    log_max = max;
    pthread_mutex_unlock(&log_lock);
}

int fth_log_enabled(enum fth_log_level level)
{
    return log_sink && level <= log_max;
}

void fth_log(enum fth_log_level level, const char *module, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;

    if (!fth_log_enabled(level))
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    /* One line at a time, whichever thread logs. */
    pthread_mutex_lock(&log_lock);
    if (log_sink)
        log_sink(level, module, msg, log_data);
    pthread_mutex_unlock(&log_lock);
}
