/*
 * A fork server for iptables, for emulated (TCG) guests: preloaded into one
 * xtables-nft-multi that the boot starts, it forks that already loaded, linked and
 * relocated process for each iptables call instead of letting each call exec anew.
 *
 * dockerd runs iptables ~100 times while it starts, one after the other. Under TCG
 * each exec pays for the kernel's execve, the dynamic loader binding every symbol of
 * libxtables, libnftnl, libmnl and libc (Debian links with -z now), and libc's start.
 * A fork of the server skips all of that; the translated code stays warm because
 * every child runs at the server's addresses.
 *
 * The iptables commands (guest/helpers/xtables-norandom.c) connect to the socket
 * named by WHARF_XTABLES_SERVE and send their arguments, their stdin, stdout and
 * stderr, and their network namespace; a child of the server joins that namespace
 * (dockerd sets a container's DNS rules with iptables run inside the container's),
 * runs xtables-nft-multi's own main with them and the server's environment, and the
 * command exits with the child's status. Nothing else crosses: dockerd passes iptables
 * no environment it reads, no relative path, and runs it in its own mount namespace.
 *
 * How: the preload defines __libc_start_main, so the program's _start hands this file
 * its main; libc's own __libc_start_main then runs this file's entry instead, after
 * all of libc's and the program's initialisation. Each call is one fork (a fork costs
 * about as much as the exec it replaces under TCG, so a second one for a waiter would
 * eat the gain): the child runs the real main, and libc's exit path sends its status
 * back (on_exit, after flushing stdio). A child that dies by a signal sends none; the
 * caller then fails with a message.
 *
 * No headers: the few libc functions used are declared here and bound at load time
 * to the process's own libc.so.6, so the bare cross compiler that builds the other
 * helpers builds this one too. The structures are Linux's LP64 layouts, the same on
 * x86-64 and arm64.
 */
#include <stddef.h>
#include "xtables-forkserver.h"

#define RTLD_NEXT ((void *)-1L)
#define SIGCHLD 17
#define SIG_DFL ((void *)0)
#define SIG_IGN ((void *)1)
#define CLONE_NEWNET 0x40000000
#define MAX_ARGS 1024

extern void *dlsym(void *, const char *);
extern char *getenv(const char *);
extern int unsetenv(const char *);
extern int socket(int, int, int);
extern int bind(int, const void *, unsigned);
extern int listen(int, int);
extern int accept4(int, void *, void *, int);
extern long recvmsg(int, void *, int);
extern long read(int, void *, size_t);
extern long write(int, const void *, size_t);
extern int close(int);
extern int dup2(int, int);
extern int fork(void);
extern int setns(int, int);
extern int on_exit(void (*)(int, void *), void *);
extern int fflush(void *);
extern int unlink(const char *);
extern void *signal(int, void *);
extern unsigned umask(unsigned);
extern void _exit(int) __attribute__((noreturn));

typedef int (*main_fn)(int, char **, char **);
typedef int (*start_fn)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void), void *);

struct cmsg_hdr { size_t len; int level; int type; };

static main_fn program_main;

static size_t text_len(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

static void say(const char *s) {
  (void)!write(2, s, text_len(s));
}

static void reply(int conn, unsigned kind, unsigned code) {
  unsigned msg[2] = { kind, code };
  (void)!write(conn, msg, sizeof msg);
}

/* Reads the request: a 4-byte length, that many bytes of NUL-terminated arguments, and
 * (on the first bytes) the caller's stdin, stdout, stderr and network namespace.
 * Returns argc, or -1. */
static int read_request(int conn, char *buf, char **argv, int fds[PASSED_FDS]) {
  unsigned want = 0;
  union { struct cmsg_hdr h; char space[CMSG_HDR_SPACE + 16]; } control;
  struct io_vec iov = { &want, sizeof want };
  struct msg_hdr msg = { 0, 0, &iov, 1, &control, sizeof control, 0 };
  long got = recvmsg(conn, &msg, 0);
  if (got != (long)sizeof want) return -1;
  if (control.h.level != SOL_SOCKET || control.h.type != SCM_RIGHTS || control.h.len != CMSG_HDR_SPACE + PASSED_FDS * sizeof(int)) return -1;
  int *passed = (int *)(control.space + CMSG_HDR_SPACE);
  for (int i = 0; i < PASSED_FDS; i++) fds[i] = passed[i];
  if (want == 0 || want > MAX_REQUEST) return -1;
  for (unsigned have = 0; have < want;) {
    long n = read(conn, buf + have, want - have);
    if (n <= 0) return -1;
    have += (unsigned)n;
  }
  if (buf[want - 1] != '\0') return -1;
  int argc = 0;
  for (unsigned at = 0; at < want; at += (unsigned)text_len(buf + at) + 1) {
    if (argc == MAX_ARGS) return -1;
    argv[argc++] = buf + at;
  }
  argv[argc] = 0;
  return argc;
}

/* The child's exit status goes back to the caller from libc's exit path, after its
 * output: the caller may read a file it redirected to as soon as it has the status. */
static void report_exit(int status, void *conn) {
  fflush(0);
  reply((int)(long)conn, REPLY_RAN, (unsigned)status & 0xff);
}

/* One call, in a child of the server: takes the caller's descriptors and arguments.
 * Returns its argc (argv filled) for main to run; the exit status is sent back at exit. */
static int handle(int conn, char **argv) {
  static char buf[MAX_REQUEST];
  int fds[PASSED_FDS] = { -1, -1, -1, -1 };
  /* iptables may run modprobe and wait for it. */
  signal(SIGCHLD, SIG_DFL);
  int argc = read_request(conn, buf, argv, fds);
  if (argc < 1) {
    say("xtables-forkserver: a malformed request\n");
    _exit(1);
  }
  /* Rules go to the caller's namespace (a container's, for dockerd's DNS rules). */
  if (setns(fds[3], CLONE_NEWNET) < 0) {
    reply(conn, REPLY_NOT_RUN, 0);
    _exit(0);
  }
  for (int i = 0; i < 3; i++) {
    if (dup2(fds[i], i) < 0) _exit(126);
  }
  for (int i = 0; i < PASSED_FDS; i++) if (fds[i] > 2) close(fds[i]);
  on_exit(report_exit, (void *)(long)conn);
  return argc;
}

/* Listens on `path` and forks for each call. Returns only in a child that is to run main. */
static int serve(const char *path, char **argv) {
  struct sockaddr_unix addr = { AF_UNIX, { 0 } };
  for (size_t i = 0; path[i]; i++) addr.path[i] = path[i];
  int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  unlink(path);
  /* Root's only: whoever can connect runs iptables as root. */
  unsigned mask = umask(0177);
  int bound = sock >= 0 && bind(sock, &addr, sizeof addr) == 0;
  umask(mask);
  if (!bound || listen(sock, 128) < 0) {
    say("xtables-forkserver: cannot listen on the socket; iptables runs by exec\n");
    _exit(1);
  }
  /* Children that handle calls are never waited for by the server. */
  signal(SIGCHLD, SIG_IGN);
  for (;;) {
    int conn = accept4(sock, 0, 0, SOCK_CLOEXEC);
    if (conn < 0) continue;
    int pid = fork();
    if (pid == 0) {
      close(sock);
      return handle(conn, argv);
    }
    if (pid < 0) reply(conn, REPLY_NOT_RUN, 0);
    close(conn);
  }
}

static int entry(int argc, char **argv, char **envp) {
  static char *call_argv[MAX_ARGS + 1];
  const char *path = getenv("WHARF_XTABLES_SERVE");
  /* Nothing this process starts inherits the preload or the server role. */
  unsetenv("LD_PRELOAD");
  if (!path) return program_main(argc, argv, envp);
  static char path_copy[108];
  size_t n = text_len(path);
  if (n >= sizeof path_copy) { say("xtables-forkserver: socket path too long\n"); _exit(1); }
  for (size_t i = 0; i < n; i++) path_copy[i] = path[i];
  unsetenv("WHARF_XTABLES_SERVE");
  int call_argc = serve(path_copy, call_argv);
  return program_main(call_argc, call_argv, envp);
}

__attribute__((visibility("default"))) int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void), void (*fini)(void), void (*rtld_fini)(void), void *stack_end) {
  start_fn next = (start_fn)dlsym(RTLD_NEXT, "__libc_start_main");
  if (!next) {
    say("xtables-forkserver: no __libc_start_main to chain to\n");
    _exit(127);
  }
  program_main = main;
  return next(entry, argc, argv, init, fini, rtld_fini, stack_end);
}
