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
 * No libc: the binary is a few system calls at a fixed address, so its own exec
 * costs next to nothing and it builds with a bare cross compiler.
 */
#ifndef TARGET
#define TARGET "/usr/sbin/xtables-nft-multi"
#endif
#define ADDR_NO_RANDOMIZE 0x0040000L
#define PERSONALITY_QUERY 0xffffffffL

#if defined(__x86_64__)
#define SYS_WRITE 1
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
#define SYS_WRITE 64
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

__attribute__((noreturn, used)) void start_c(long *sp) {
  long argc = sp[0];
  char **argv = (char **)(sp + 1);
  char **envp = argv + argc + 1;
  long persona = sys3(SYS_PERSONALITY, PERSONALITY_QUERY, 0, 0);
  if (persona >= 0) sys3(SYS_PERSONALITY, persona | ADDR_NO_RANDOMIZE, 0, 0);
  /* argv[0] stays as invoked: xtables-nft-multi picks iptables, ip6tables, -save or -restore by it. */
  sys3(SYS_EXECVE, (long)TARGET, (long)argv, (long)envp);
  sys3(SYS_WRITE, 2, (long)failed, sizeof failed - 1);
  for (;;) sys3(SYS_EXIT, 127, 0, 0);
}
