// flock(2) through koffi: the advisory lock kind Codex 0.169 uses for its thread-writer locks, so
// our binary and a real Codex on the same store exclude each other. Locks belong to the open file
// description: they die with the process and two separate opens (even in one process) conflict.
import { koffi, libc } from './koffi.js';

const LOCK_SH = 1;
const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;
const EWOULDBLOCK = 11;
const EINTR = 4;

let flockFn: ((fd: number, op: number) => number) | undefined;

function raw(fd: number, op: number): { ok: true } | { ok: false; errno: number } {
  flockFn ??= libc().func('int flock(int, int)') as unknown as (fd: number, op: number) => number;
  for (;;) {
    const r = flockFn(fd, op);
    if (r === 0) return { ok: true };
    const errno = koffi().errno();
    if (errno !== EINTR) return { ok: false, errno };
  }
}

function fail(what: string, errno: number): never {
  const e = new Error(`flock ${what} failed (errno ${errno})`) as NodeJS.ErrnoException;
  e.errno = errno;
  e.code = errno === EWOULDBLOCK ? 'EWOULDBLOCK' : `E${errno}`;
  throw e;
}

/** Try to take the lock without waiting: true when taken, false when another holder has it. */
export function flockTry(fd: number, mode: 'exclusive' | 'shared' = 'exclusive'): boolean {
  const r = raw(fd, (mode === 'exclusive' ? LOCK_EX : LOCK_SH) | LOCK_NB);
  if (r.ok) return true;
  if (r.errno === EWOULDBLOCK) return false;
  return fail('try', r.errno);
}

/** Take the lock, blocking the calling thread until it is free (use only for short waits). */
export function flockWait(fd: number, mode: 'exclusive' | 'shared' = 'exclusive'): void {
  const r = raw(fd, mode === 'exclusive' ? LOCK_EX : LOCK_SH);
  if (!r.ok) fail('wait', r.errno);
}

export function flockRelease(fd: number): void {
  const r = raw(fd, LOCK_UN);
  if (!r.ok) fail('unlock', r.errno);
}
