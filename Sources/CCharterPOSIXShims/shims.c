#define _GNU_SOURCE
#include "CCharterPOSIXShims.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int ccharter_spawn(const char *path, char *const argv[], char *const envp[],
                   int out_fd, int err_fd, pid_t *pid_out) {
    posix_spawn_file_actions_t actions;
    int rc = posix_spawn_file_actions_init(&actions);
    if (rc != 0) return rc;
    rc = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (rc == 0 && out_fd >= 0) rc = posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
    if (rc == 0 && err_fd >= 0) rc = posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
    if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (rc == 0) {
        // posix_spawnp: a bare name is looked up on PATH like a shell would.
        rc = posix_spawnp(pid_out, path, &actions, NULL, argv, envp ? envp : environ);
    }
    posix_spawn_file_actions_destroy(&actions);
    return rc;
}

int ccharter_wait_exit_status(pid_t pid) {
    int status = 0;
    for (;;) {
        pid_t r = waitpid(pid, &status, 0);
        if (r == pid) break;
        if (r < 0 && errno == EINTR) continue;
        return -1;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

void ccharter_ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

void ccharter_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

void ccharter_write_stderr(const char *text) {
    size_t left = strlen(text);
    while (left > 0) {
        ssize_t n = write(2, text, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        text += n;
        left -= (size_t)n;
    }
}

#include <sys/socket.h>

int ccharter_accept_nonblocking(int fd, struct sockaddr *address, unsigned int *length) {
    return accept4(fd, address, (socklen_t *)length, SOCK_CLOEXEC | SOCK_NONBLOCK);
}
