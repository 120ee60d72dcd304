/*
 * iptables without address-space randomization, for emulated (TCG) guests.
 *
 * QEMU's software CPU keeps translated code keyed by virtual address. A randomized
 * (PIE, ASLR) process gets new addresses at every exec, so each `iptables` run
 * translates xtables-nft-multi and its libraries again: 52-64 ms per run here,
 * 16-20 ms with randomization off. dockerd runs iptables ~100 times while it
 * starts. Only iptables runs this way: dockerd, containerd and containers keep
 * ASLR. The guest links iptables here at boot only under TCG (wharf.tcg=1).
 *
 * When the boot's fork server (guest/helpers/xtables-forkserver.c) listens, the
 * call is handed to it instead: one connect and a few bytes, where an exec of
 * xtables-nft-multi loads and binds four libraries anew. Where it does not listen
 * (not started yet, gone, out of processes), the call runs by exec as before.
 *
 * No libc: the binary is a few system calls at a fixed address, so its own exec
 * costs next to nothing and it builds with a bare cross compiler.
 */
#ifndef TARGET
#define TARGET "/usr/sbin/xtables-nft-multi"
#endif
#ifndef SERVER_SOCKET
#define SERVER_SOCKET "/run/wharf/xtables.sock"
#endif
#define ADDR_NO_RANDOMIZE 0x0040000L
#define PERSONALITY_QUERY 0xffffffffL

#if defined(__x86_64__)
#define SYS_READ 0
#define SYS_WRITE 1
#define SYS_CLOSE 3
#define SYS_OPENAT 257
#define SYS_SOCKET 41
#define SYS_CONNECT 42
#define SYS_SENDMSG 46
#define SYS_EXECVE 59
#define SYS_EXIT 60
#define SYS_PERSONALITY 135
static long sys3(long n, long a, long b, long c) {
  long r;
  __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return r;
}
__asm__(".globl _start\n_start:\n\tmov %rsp, %rdi\n\tand $-16, %rsp\n\tcall start_c\n\thlt\n");
#elif defined(__aarch64__)
#define SYS_READ 63
#define SYS_WRITE 64
#define SYS_CLOSE 57
#define SYS_OPENAT 56
#define SYS_SOCKET 198
#define SYS_CONNECT 203
#define SYS_SENDMSG 211
#define SYS_EXECVE 221
#define SYS_EXIT 93
#define SYS_PERSONALITY 92
static long sys3(long n, long a, long b, long c) {
  register long x8 __asm__("x8") = n;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
  return x0;
}
__asm__(".globl _start\n_start:\n\tmov x0, sp\n\tbl start_c\n");
#else
#error "xtables-norandom: unsupported architecture"
#endif

static const char failed[] = "xtables-norandom: cannot run " TARGET "\n";
static const char lost[] = "xtables-norandom: the iptables fork server ended during the call\n";

#include "xtables-forkserver.h"
#define MSG_NOSIGNAL 0x4000
#define AT_FDCWD (-100)
#define O_RDONLY_CLOEXEC 02000000

static int starts_with(const char *s, const char *prefix) {
  while (*prefix) if (*s++ != *prefix++) return 0;
  return 1;
}

static int send_all(long sock, const char *data, unsigned long len, void *control, unsigned long control_len) {
  while (len > 0) {
    struct io_vec iov = { (void *)data, len };
    struct msg_hdr msg = { 0, 0, &iov, 1, control, control_len, 0 };
    long n = sys3(SYS_SENDMSG, sock, (long)&msg, MSG_NOSIGNAL);
    if (n <= 0) return -1;
    data += n;
    len -= (unsigned long)n;
    control = 0;
    control_len = 0;
  }
  return 0;
}

static char request[MAX_REQUEST];

/* Hands the call to the fork server. Returns the exit code, or -1 where the call
 * did not run there (no server: it runs by exec). */
static long delegate(char **argv) {
  unsigned len = 0;
  for (char **a = argv; *a; a++) {
    const char *s = *a;
    do {
      if (len == MAX_REQUEST) return -1;
      request[len++] = *s;
    } while (*s++);
  }
  if (len == 0) return -1;
  static const struct sockaddr_unix addr = { AF_UNIX, SERVER_SOCKET };
  long sock = sys3(SYS_SOCKET, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0) return -1;
  if (sys3(SYS_CONNECT, sock, (long)&addr, sizeof addr) < 0) {
    sys3(SYS_CLOSE, sock, 0, 0);
    return -1;
  }
  long netns = sys3(SYS_OPENAT, AT_FDCWD, (long)"/proc/self/ns/net", O_RDONLY_CLOEXEC);
  if (netns < 0) {
    sys3(SYS_CLOSE, sock, 0, 0);
    return -1;
  }
  /* The length goes first, with the four descriptors attached: stdin, stdout, stderr and
   * the network namespace (dockerd runs some iptables inside a container's, for its DNS rules). */
  struct fd_rights rights = { CMSG_HDR_SPACE + PASSED_FDS * sizeof(int), SOL_SOCKET, SCM_RIGHTS, { 0, 1, 2, (int)netns } };
  int sent = send_all(sock, (const char *)&len, sizeof len, &rights, sizeof rights) == 0 &&
             send_all(sock, request, len, 0, 0) == 0;
  sys3(SYS_CLOSE, netns, 0, 0);
  if (!sent) {
    sys3(SYS_CLOSE, sock, 0, 0);
    return -1;
  }
  unsigned reply[2];
  unsigned long have = 0;
  while (have < sizeof reply) {
    long n = sys3(SYS_READ, sock, (long)reply + (long)have, (long)(sizeof reply - have));
    if (n <= 0) break;
    have += (unsigned long)n;
  }
  sys3(SYS_CLOSE, sock, 0, 0);
  if (have == sizeof reply && reply[0] == REPLY_NOT_RUN) return -1;
  if (have != sizeof reply || reply[0] != REPLY_RAN) {
    sys3(SYS_WRITE, 2, (long)lost, sizeof lost - 1);
    return 1;
  }
  return reply[1];
}

__attribute__((noreturn, used)) void start_c(long *sp) {
  long argc = sp[0];
  char **argv = (char **)(sp + 1);
  char **envp = argv + argc + 1;
  /* The boot starts the server itself through this file: it must not connect to itself. */
  int serving = 0;
  for (char **e = envp; *e; e++) if (starts_with(*e, "WHARF_XTABLES_SERVE=")) serving = 1;
  if (!serving) {
    long code = delegate(argv);
    if (code >= 0) for (;;) sys3(SYS_EXIT, code, 0, 0);
  }
  long persona = sys3(SYS_PERSONALITY, PERSONALITY_QUERY, 0, 0);
  if (persona >= 0) sys3(SYS_PERSONALITY, persona | ADDR_NO_RANDOMIZE, 0, 0);
  /* argv[0] stays as invoked: xtables-nft-multi picks iptables, ip6tables, -save or -restore by it. */
  sys3(SYS_EXECVE, (long)TARGET, (long)argv, (long)envp);
  sys3(SYS_WRITE, 2, (long)failed, sizeof failed - 1);
  for (;;) sys3(SYS_EXIT, 127, 0, 0);
}
