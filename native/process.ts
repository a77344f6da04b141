// Process-level syscalls for the sandbox helper: prctl, fcntl, signal reset, execve. All of them
// act on the calling thread (the JS main thread), which is the thread that then calls execve.
import * as fs from 'node:fs';
import { koffi, libcFunctions } from './koffi.js';

const PR_SET_NO_NEW_PRIVS = 38;
const F_GETFD = 1;
const F_SETFD = 2;
const F_GETFL = 3;
const F_SETFL = 4;
const FD_CLOEXEC = 1;
const O_NONBLOCK = 0o4000;
const SIG_SETMASK = 2;
/** Signals Node ignores (SIG_IGN survives execve): SIGPIPE, SIGXFSZ. */
const IGNORED_BY_NODE = [13, 25];

const f = libcFunctions({
  prctl: 'int prctl(int, unsigned long, unsigned long, unsigned long, unsigned long)',
  fcntl: 'int fcntl(int, int, int)',
  signal: 'void *signal(int, void *)',
  sigmask: 'int pthread_sigmask(int, void *, void *)',
  execve: 'int execve(const char *, const char **, const char **)',
  close: 'int close(int)',
});

export function errno(): number {
  return koffi().errno();
}

/** A failed syscall as an Error carrying the errno (e.g. `EACCES`) and the call's name. */
export class SyscallError extends Error {
  constructor(
    readonly syscall: string,
    readonly errno: number,
  ) {
    super(`${syscall} failed: ${errnoName(errno)} (errno ${errno})`);
  }
}

const ERRNO_NAMES: Record<number, string> = {
  1: 'EPERM', 2: 'ENOENT', 5: 'EIO', 7: 'E2BIG', 8: 'ENOEXEC', 9: 'EBADF', 12: 'ENOMEM', 13: 'EACCES', 14: 'EFAULT',
  16: 'EBUSY', 20: 'ENOTDIR', 21: 'EISDIR', 22: 'EINVAL', 24: 'EMFILE', 26: 'ETXTBSY', 38: 'ENOSYS', 40: 'ELOOP',
  95: 'EOPNOTSUPP',
};
export function errnoName(n: number): string {
  return ERRNO_NAMES[n] ?? `E#${n}`;
}

function check(name: string, r: number): number {
  if (r < 0) throw new SyscallError(name, errno());
  return r;
}

export function setNoNewPrivs(): void {
  check('prctl(PR_SET_NO_NEW_PRIVS)', f().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
}

export function rawClose(fd: number): void {
  f().close(fd);
}

/** Let `fd` survive execve (Node opens everything O_CLOEXEC). */
export function clearCloexec(fd: number): void {
  const fl = check('fcntl(F_GETFD)', f().fcntl(fd, F_GETFD, 0));
  if (fl & FD_CLOEXEC) check('fcntl(F_SETFD)', f().fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC));
}

/**
 * Make stdio what a freshly exec'd program expects: fds 0–2 inherited (no close-on-exec), blocking
 * (O_NONBLOCK lives on the shared open file description, and Node may have set it), SIGPIPE and
 * SIGXFSZ back to default, no blocked signals.
 */
export function resetStdioAndSignals(): void {
  const fn = f();
  for (const fd of [0, 1, 2]) {
    const fd1 = fn.fcntl(fd, F_GETFD, 0);
    if (fd1 < 0) continue; // closed: leave it closed
    if (fd1 & FD_CLOEXEC) fn.fcntl(fd, F_SETFD, fd1 & ~FD_CLOEXEC);
    const fl = fn.fcntl(fd, F_GETFL, 0);
    if (fl >= 0 && fl & O_NONBLOCK) fn.fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  }
  for (const sig of IGNORED_BY_NODE) fn.signal(sig, null);
  fn.sigmask(SIG_SETMASK, Buffer.alloc(128), null);
}

/** execve(2) in the calling thread. Returns only on failure, with the errno. */
export function execve(file: string, argv: readonly string[], env: readonly string[]): SyscallError {
  f().execve(file, [...argv, null], [...env, null]);
  return new SyscallError(`execve(${file})`, errno());
}

/**
 * Mark every fd above 2 close-on-exec except `keep`: an fd inherited from our own parent (e.g. a
 * directory or socket outside the sandbox) must not reach the sandboxed command. Where the native
 * fcntl cannot be had (the koffi addon does not load, e.g. cache and temp dirs mounted noexec),
 * such an fd is closed instead: this process never uses an fd it inherited, and the command then
 * cannot get it either. Throws when the fds cannot be listed (no /proc): one might reach it.
 */
export function cloexecStrayFds(keep: readonly number[] = []): void {
  let names: string[];
  try {
    names = fs.readdirSync('/proc/self/fd');
  } catch (e) {
    throw new Error(`cannot list this process's open fds in /proc/self/fd (${(e as NodeJS.ErrnoException).code ?? 'error'}), so an inherited one could reach the command`);
  }
  for (const n of names) {
    const fd = Number(n);
    if (!Number.isInteger(fd) || fd <= 2 || keep.includes(fd)) continue;
    // /proc says whether the flag is set already (node opens its own fds close-on-exec): the
    // native fcntl, and loading the koffi addon for it, only when a stray fd needs it.
    const state = cloexecFromProc(fd);
    if (state === 'set' || state === 'gone') continue;
    let fn: ReturnType<typeof f>;
    try {
      fn = f();
    } catch {
      fs.closeSync(fd);
      continue;
    }
    const fl = fn.fcntl(fd, F_GETFD, 0);
    if (fl >= 0 && !(fl & FD_CLOEXEC)) fn.fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
  }
}

/** O_CLOEXEC as /proc/self/fdinfo/N's `flags:` shows it (octal; the value on x86-64 and arm64). */
const O_CLOEXEC = 0o2000000;

const fdinfo = Buffer.alloc(128);

function cloexecFromProc(fd: number): 'set' | 'unset' | 'gone' | 'unknown' {
  // `pos:\t…\nflags:\t0…` leads the file: one short read (this runs for each of node's own fds at
  // every sandboxed start).
  let n: number;
  try {
    const info = fs.openSync(`/proc/self/fdinfo/${fd}`, 'r');
    try {
      n = fs.readSync(info, fdinfo, 0, fdinfo.length, null);
    } finally {
      fs.closeSync(info);
    }
  } catch (e) {
    // The fd listing's own directory fd, closed by now.
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unknown';
  }
  const m = /^flags:\s*([0-7]+)\n/m.exec(fdinfo.toString('latin1', 0, n));
  if (!m) return 'unknown';
  return (parseInt(m[1]!, 8) & O_CLOEXEC) !== 0 ? 'set' : 'unset';
}
