#ifndef CCHARTER_POSIX_SHIMS_H
#define CCHARTER_POSIX_SHIMS_H
// Process spawning that Swift cannot express with Glibc alone.
#include <sys/types.h>

/// Spawns `path` with `argv` (NULL-terminated) and `envp` (NULL-terminated, or NULL to
/// inherit), with stdin from /dev/null, stdout and stderr to `out_fd` and `err_fd` (or
/// inherited when -1), and every other descriptor from 3 up closed in the child.
///
/// Why a shim: posix_spawn_file_actions_addclosefrom_np needs _GNU_SOURCE, and
/// Foundation.Process makes a daemonising child (pg_ctl start) hang the parent, because
/// the postmaster inherits the pipe Foundation watches. Returns 0 or an errno value.
int ccharter_spawn(const char *path, char *const argv[], char *const envp[],
                   int out_fd, int err_fd, pid_t *pid_out);

/// Waits for `pid`; returns its exit status (0-255), 128+signal when it was killed, or -1
/// with errno set.
int ccharter_wait_exit_status(pid_t pid);

/// The SIGPIPE and signal set-up every long-running part needs: ignore SIGPIPE (a peer
/// that closes while we write must not kill the daemon).
void ccharter_ignore_sigpipe(void);
/// Makes stdout line-buffered: a daemon's stdout is usually a pipe or file, where C
/// buffers fully and lines would appear late. A shim because Swift 6 rejects naming the
/// mutable C global `stdout` (PLATFORM.md, Build).
void ccharter_line_buffer_stdout(void);

/// Writes a whole string to standard error (fd 2) without C stdio's shared `stderr`.
void ccharter_write_stderr(const char *text);

struct sockaddr;
/// accept4(2) with SOCK_CLOEXEC | SOCK_NONBLOCK: one call, so no descriptor is ever
/// blocking or inheritable. A shim because glibc declares accept4 only under _GNU_SOURCE.
/// Returns the new fd, or -1 with errno set.
int ccharter_accept_nonblocking(int fd, struct sockaddr *address, unsigned int *length);
#endif
