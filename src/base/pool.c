#include "fathom/base.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "banned.h"

struct job {
    size_t n;
    atomic_size_t next;
    void (*fn)(size_t, void *);
    void *data;
};

static void *worker(void *arg)
{
    struct job *job = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&job->next, 1);
        if (i >= job->n)
            break;
        job->fn(i, job->data);
    }
    return NULL;
}

unsigned fth_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

void fth_parallel_for(size_t n, unsigned threads, void (*fn)(size_t, void *), void *data)
{
    struct job job;
    pthread_t tids[64];
    unsigned started = 0, i;

    if (!threads)
        threads = fth_cpu_count();
    if (threads > 64)
        threads = 64;
    if (threads > n)
        threads = (unsigned)n;
    job.n = n;
    atomic_init(&job.next, 0);
    job.fn = fn;
    job.data = data;
    /* The calling thread works too; if a thread cannot start, the others take its share. */
    for (i = 1; i < threads; i++) {
        if (pthread_create(&tids[started], NULL, worker, &job) == 0)
            started++;
    }
    worker(&job);
    for (i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
}
