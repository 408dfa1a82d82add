/*
 * Start a test server (a python3 script under tests/servers/) as a child process, read the
 * port it prints as its first line, and stop it again. For unit tests only.
 */
#ifndef FATHOM_TEST_SPAWN_H
#define FATHOM_TEST_SPAWN_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct test_server {
    pid_t pid;
    int port;
};

/* argv[0] is the script path; returns 0 and fills s, -1 when the server did not start. */
static inline int test_server_start(struct test_server *s, char *const argv[])
{
    char line[64];
    size_t n = 0;
    int fds[2];
    pid_t pid;

    s->pid = -1;
    s->port = 0;
    if (pipe(fds) != 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        char *args[32];
        int i;

        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        args[0] = (char *)"python3";
        for (i = 0; argv[i] && i < 30; i++)
            args[i + 1] = argv[i];
        args[i + 1] = NULL;
        execvp("python3", args);
        _exit(127);
    }
    close(fds[1]);
    while (n + 1 < sizeof(line)) {
        ssize_t r = read(fds[0], line + n, 1);
        if (r <= 0 || line[n] == '\n')
            break;
        n++;
    }
    line[n] = '\0';
    close(fds[0]);
    s->pid = pid;
    s->port = (int)strtol(line, NULL, 10);
    if (s->port <= 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        s->pid = -1;
        return -1;
    }
    return 0;
}

static inline void test_server_stop(struct test_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
    }
    s->pid = -1;
}

#endif
