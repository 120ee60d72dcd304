/*
 * inode-reclaim LIMIT [INODE_NR DROP_CACHES]: fs-reclaim's loop (see that script for the why) in one
 * process. As a shell loop, every look at /proc/sys/fs/inode-nr was a fork and
 * an exec of cut: once a tenth of LIMIT was cached (any container that walks a
 * tree gets there) ten looks a second took 6.9% of an emulated vCPU, at nice
 * -20, from every container, and 1.0% below that. Here a look is one pread(2):
 * 0.1% and 0.0% (20 s each, TCG).
 *
 * The rule is the script's: look once a second, ten times a second above a
 * tenth of LIMIT; above the bar (a fifth of LIMIT at first) write 2 to
 * /proc/sys/vm/drop_caches, then move the bar a tenth of LIMIT above what
 * stayed cached (never below a fifth). The first drop is logged on fd 4, the
 * console line the guest scripts write to.
 *
 * The two paths default to /proc/sys/fs/inode-nr and /proc/sys/vm/drop_caches;
 * the unit test gives files of its own.
 *
 * No libc, like xtables-norandom: a few system calls, built by the image builder
 * for each architecture with a bare (cross) compiler.
 */
#if defined(__x86_64__)
#define SYS_CLOSE 3
#define SYS_WRITE 1
#define SYS_PREAD64 17
#define SYS_PWRITE64 18
#define SYS_NANOSLEEP 35
#define SYS_EXIT 60
#define SYS_OPENAT 257
static long sys4(long n, long a, long b, long c, long d) {
  long r;
  register long r10 __asm__("r10") = d;
  __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
  return r;
}
__asm__(".globl _start\n_start:\n\tmov %rsp, %rdi\n\tand $-16, %rsp\n\tcall start_c\n\thlt\n");
#elif defined(__aarch64__)
#define SYS_CLOSE 57
#define SYS_WRITE 64
#define SYS_PREAD64 67
#define SYS_PWRITE64 68
#define SYS_NANOSLEEP 101
#define SYS_EXIT 93
#define SYS_OPENAT 56
static long sys4(long n, long a, long b, long c, long d) {
  register long x8 __asm__("x8") = n;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
  return x0;
}
__asm__(".globl _start\n_start:\n\tmov x0, sp\n\tbl start_c\n");
#else
#error "inode-reclaim: unsupported architecture"
#endif

#define AT_FDCWD (-100)
#define O_RDONLY 0
#define O_WRONLY 1
#define LOG_FD 4

struct timespec_k { long sec; long nsec; };

static unsigned long len(const char *s) {
  unsigned long n = 0;
  while (s[n]) n++;
  return n;
}

static void say(int fd, const char *s) { sys4(SYS_WRITE, fd, (long)s, (long)len(s), 0); }

static __attribute__((noreturn)) void leave(int code) {
  for (;;) sys4(SYS_EXIT, code, 0, 0, 0);
}

/* Digits at the start of s; -1 when there are none. */
static long parse(const char *s) {
  long v = -1;
  for (; *s >= '0' && *s <= '9'; s++) v = (v < 0 ? 0 : v * 10) + (*s - '0');
  return v;
}

/* Copies s to p (the line above has room: three numbers of at most 19 digits). */
static char *append(char *p, const char *s) {
  while (*s) *p++ = *s++;
  return p;
}

static char *utoa(long v, char *end) {
  *--end = 0;
  do { *--end = (char)('0' + v % 10); v /= 10; } while (v);
  return end;
}

/* The first field of inode-nr (inodes allocated); -1 if it cannot be read. */
static long inodes(int fd) {
  char buf[64];
  long n = sys4(SYS_PREAD64, fd, (long)buf, sizeof buf - 1, 0);
  if (n <= 0) return -1;
  buf[n] = 0;
  return parse(buf);
}

static void nap(long ms) {
  struct timespec_k t = { ms / 1000, (ms % 1000) * 1000000L };
  sys4(SYS_NANOSLEEP, (long)&t, 0, 0, 0);
}

__attribute__((noreturn, used)) void start_c(long *sp) {
  long argc = sp[0];
  char **argv = (char **)(sp + 1);
  long limit = argc == 2 || argc == 4 ? parse(argv[1]) : -1;
  if (limit <= 0) {
    say(2, "usage: inode-reclaim LIMIT [INODE_NR DROP_CACHES] (LIMIT: descriptors the host's virtiofsd may hold, > 0)\n");
    leave(2);
  }
  const char *nr_path = argc == 4 ? argv[2] : "/proc/sys/fs/inode-nr";
  const char *drop_path = argc == 4 ? argv[3] : "/proc/sys/vm/drop_caches";
  int nr = (int)sys4(SYS_OPENAT, AT_FDCWD, (long)nr_path, O_RDONLY, 0);
  int drop = (int)sys4(SYS_OPENAT, AT_FDCWD, (long)drop_path, O_WRONLY, 0);
  if (nr < 0 || drop < 0) {
    say(2, "inode-reclaim: cannot open ");
    say(2, nr < 0 ? nr_path : drop_path);
    say(2, "\n");
    leave(1);
  }
  long base = limit / 5, busy = limit / 10, high = base, wait = 1000;
  int warned = 0;
  for (;;) {
    nap(wait);
    long total = inodes(nr);
    if (total < 0) continue;
    wait = total > busy ? 100 : 1000;
    if (total <= high) continue;
    /* At offset 0 each time: a sysctl ignores writes past it (kernel.sysctl_writes_strict). */
    sys4(SYS_PWRITE64, drop, (long)"2", 1, 0);
    long after = inodes(nr);
    if (after < 0) after = total;
    high = after + limit / 10;
    if (high < base) high = base;
    if (!warned) {
      /* One write, so no other writer splits the console line. */
      char line[200], n[24];
      char *p = line;
      p = append(p, "wharf: shared folders: ");
      p = append(p, utoa(total, n + sizeof n));
      p = append(p, " cached inodes near the host's limit of ");
      p = append(p, utoa(limit, n + sizeof n));
      p = append(p, " descriptors; released to ");
      p = append(p, utoa(after, n + sizeof n));
      p = append(p, "\n");
      sys4(SYS_WRITE, LOG_FD, (long)line, p - line, 0);
      warned = 1;
    }
  }
}
