/* The iptables fork server's wire protocol, shared by the server (xtables-forkserver.c)
 * and its client (xtables-norandom.c). No headers: Linux's LP64 layouts and constants,
 * the same on x86-64 and arm64.
 *
 * Request: a 4-byte length, then that many bytes of NUL-terminated arguments; the first
 * bytes carry stdin, stdout, stderr and the caller's network namespace (SCM_RIGHTS).
 * Reply: { REPLY_RAN, exit code } or { REPLY_NOT_RUN, 0 } (the caller then execs). */
#define AF_UNIX 1
#define SOCK_STREAM 1
#define SOCK_CLOEXEC 02000000
#define SOL_SOCKET 1
#define SCM_RIGHTS 1
#define PASSED_FDS 4
#define MAX_REQUEST 65536
enum { REPLY_RAN = 1, REPLY_NOT_RUN = 2 };

struct sockaddr_unix { unsigned short family; char path[108]; };
struct io_vec { void *base; unsigned long len; };
struct msg_hdr { void *name; unsigned namelen; struct io_vec *iov; unsigned long iovlen; void *control; unsigned long controllen; int flags; };
struct fd_rights { unsigned long len; int level; int type; int fds[PASSED_FDS]; };
#define CMSG_HDR_SPACE 16
