/* A hostile command for the sandbox tests: each probe attempts one thing the sandbox's threat model
 * forbids (or one it must allow) and prints `name=ok` when the attempt succeeded, `name=no:ERRNO`
 * when it was refused. Usage: probe NAME [ARGS...] [-- NAME [ARGS...]]... */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

static int report(const char *name, int ok) {
  if (ok) printf("%s=ok\n", name);
  else printf("%s=no:%s\n", name, strerrorname_np(errno) ? strerrorname_np(errno) : "?");
  fflush(stdout);
  return 0;
}

/* Whether `path` yields any bytes; an empty read counts as denied (ENODATA). */
static int read_some(const char *name, const char *path) {
  char b[64];
  int fd = open(path, O_RDONLY);
  if (fd < 0) return report(name, 0);
  ssize_t r = read(fd, b, sizeof b);
  int e = errno;
  close(fd);
  errno = r == 0 ? ENODATA : e;
  return report(name, r > 0);
}

static int unix_connect(const char *path, int abstract) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  struct sockaddr_un a = {0};
  a.sun_family = AF_UNIX;
  socklen_t len;
  if (abstract) {
    a.sun_path[0] = 0;
    strncpy(a.sun_path + 1, path, sizeof a.sun_path - 2);
    len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path);
  } else {
    strncpy(a.sun_path, path, sizeof a.sun_path - 1);
    len = sizeof a;
  }
  int r = connect(fd, (struct sockaddr *)&a, len);
  /* node binds abstract names padded to the whole sun_path; try that form too */
  if (r != 0 && abstract && errno == ECONNREFUSED) r = connect(fd, (struct sockaddr *)&a, sizeof a);
  int e = errno;
  close(fd);
  errno = e;
  return r == 0;
}

static int one(int argc, char **argv) {
  const char *n = argv[0];
  const char *a1 = argc > 1 ? argv[1] : "";
  const char *a2 = argc > 2 ? argv[2] : "";
  struct stat st;
  if (!strcmp(n, "chmod")) {
    if (lstat(a1, &st) != 0) return report(n, 0);
    return report(n, chmod(a1, st.st_mode & 07777) == 0);
  }
  if (!strcmp(n, "chown")) {
    if (lstat(a1, &st) != 0) return report(n, 0);
    return report(n, lchown(a1, st.st_uid, st.st_gid) == 0);
  }
  if (!strcmp(n, "utimes")) return report(n, utimensat(AT_FDCWD, a1, NULL, 0) == 0);
  if (!strcmp(n, "setxattr")) return report(n, setxattr(a1, "user.codex_probe", "x", 1, 0) == 0);
  if (!strcmp(n, "write")) {
    int fd = open(a1, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) return report(n, 0);
    int ok = write(fd, "x", 1) == 1;
    close(fd);
    return report(n, ok);
  }
  if (!strcmp(n, "read")) return read_some(n, a1);
  if (!strcmp(n, "mkdir")) return report(n, mkdir(a1, 0755) == 0);
  if (!strcmp(n, "rename")) return report(n, rename(a1, a2) == 0);
  if (!strcmp(n, "bpf")) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.map_type = BPF_MAP_TYPE_ARRAY;
    attr.key_size = 4;
    attr.value_size = 4;
    attr.max_entries = 1;
    return report(n, syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr) >= 0);
  }
  if (!strcmp(n, "unshare_ns")) return report(n, unshare(CLONE_NEWNS) == 0);
  if (!strcmp(n, "unshare_user")) return report(n, unshare(CLONE_NEWUSER) == 0);
  if (!strcmp(n, "clone3")) return report(n, syscall(SYS_clone3, NULL, 0) >= 0 || errno != ENOSYS);
  if (!strcmp(n, "mount")) return report(n, mount("none", a1, "tmpfs", 0, NULL) == 0);
  if (!strcmp(n, "sethostname")) {
    char h[256] = {0};
    gethostname(h, sizeof h - 1);
    return report(n, sethostname(h, strlen(h)) == 0);
  }
  if (!strcmp(n, "kill")) return report(n, kill(atoi(a1), 0) == 0);
  if (!strcmp(n, "environ")) {
    char p[64];
    snprintf(p, sizeof p, "/proc/%s/environ", a1);
    return read_some(n, p);
  }
  if (!strcmp(n, "tiocsti")) {
    char c = ' ';
    int fd = strcmp(a1, "tty") == 0 ? open("/dev/tty", O_RDWR) : atoi(a1);
    if (fd < 0) return report(n, 0);
    return report(n, ioctl(fd, TIOCSTI, &c) == 0);
  }
  if (!strcmp(n, "tioclinux")) {
    char sub = 11; /* TIOCL_GETSHIFTSTATE-like harmless subcode; the ioctl number is what is filtered */
    return report(n, ioctl(0, TIOCLINUX, &sub) == 0 || (errno != EPERM && errno != EACCES));
  }
  if (!strcmp(n, "unix_path")) return report(n, unix_connect(a1, 0));
  if (!strcmp(n, "unix_abstract")) return report(n, unix_connect(a1, 1));
  if (!strcmp(n, "socketpair")) {
    int sv[2];
    char c = 0;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return report(n, 0);
    int ok = write(sv[0], "x", 1) == 1 && read(sv[1], &c, 1) == 1 && c == 'x';
    return report(n, ok);
  }
  if (!strcmp(n, "socketpair_seqpacket")) {
    int sv[2];
    return report(n, socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
  }
  if (!strcmp(n, "socketpair_dgram")) {
    int sv[2];
    return report(n, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
  }
  if (!strcmp(n, "vsock")) return report(n, socket(AF_VSOCK, SOCK_STREAM, 0) >= 0);
  if (!strcmp(n, "packet")) return report(n, socket(AF_PACKET, SOCK_RAW, 0) >= 0);
  if (!strcmp(n, "inet")) return report(n, socket(AF_INET, SOCK_STREAM, 0) >= 0);
  if (!strcmp(n, "io_uring")) {
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    return report(n, syscall(__NR_io_uring_setup, 4, &p) >= 0);
  }
  if (!strcmp(n, "keyctl")) return report(n, syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0) >= 0);
  if (!strcmp(n, "caps") || !strcmp(n, "capbnd")) {
    /* ok = a capability left: caps = effective or permitted, capbnd = the bounding set */
    const char *want1 = !strcmp(n, "caps") ? "CapEff:" : "CapBnd:";
    const char *want2 = !strcmp(n, "caps") ? "CapPrm:" : "CapBnd:";
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    int any = 0;
    while (f && fgets(line, sizeof line, f)) {
      if (!strncmp(line, want1, 7) || !strncmp(line, want2, 7)) {
        if (strtoull(line + 7, NULL, 16) != 0) any = 1;
      }
    }
    if (f) fclose(f);
    errno = EPERM;
    return report(n, any);
  }
  if (!strcmp(n, "setsid")) {
    /* ok = still attached to a controlling terminal */
    int fd = open("/dev/tty", O_RDWR);
    if (fd >= 0) close(fd);
    return report(n, fd >= 0);
  }
  printf("%s=unknown-probe\n", n);
  return 2;
}

/* Each probe runs in a child of its own, so one that succeeds (a new user namespace, say) cannot
 * change what the next one sees. */
static void isolated(int argc, char **argv) {
  pid_t pid = fork();
  if (pid == 0) _exit(one(argc, argv));
  int st;
  if (pid > 0) waitpid(pid, &st, 0);
}

int main(int argc, char **argv) {
  int start = 1;
  for (int i = 1; i <= argc; i++) {
    if (i == argc || !strcmp(argv[i], "--")) {
      if (i > start) isolated(i - start, argv + start);
      start = i + 1;
    }
  }
  return 0;
}
