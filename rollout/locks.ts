// Per-thread writer locks, compatible with Codex 0.169: an exclusive flock on
// $CODEX_HOME/thread-writer-locks/<uuid>.lock, taken (and the file removed) only while holding a
// flock on thread-writer-locks/.coordination.lock. Every writer path holds the thread lock while it
// has the plain file open for append (recorder, materialize, archive/unarchive, name updates); the
// compressor holds it from its last check of the source until the unlink. The kernel releases
// flocks of dead processes, so there is no stale-lock guessing here.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { flockRelease, flockTry } from '../native/index.js';
import { CodexError } from '../protocol/index.js';
import { isUuid } from './paths.js';
import { readdirNames } from './fsutil.js';

export const THREAD_LOCK_DIR = 'thread-writer-locks';
export const COORDINATION_LOCK = '.coordination.lock';
const COORDINATION_TIMEOUT_MS = 10_000;
/**
 * How long a writer waits for a thread lock held for a short maintenance step (the compressor's
 * commit of a thread: milliseconds, but a slow fsync can take a second or more) before failing
 * with the holder's name. Another writer of ours (a live session of the thread) is not waited for.
 */
export const DEFAULT_WRITER_WAIT_MS = 5_000;

/**
 * What a holder of ours records in the lock file: `writer` holds it for a whole session (recorder,
 * resume); `compressor` and `maintenance` (doctor, prune, archive) for one short step.
 */
export type LockRole = 'writer' | 'compressor' | 'maintenance';

export interface LockOptions {
  /** The lock directory (default $CODEX_HOME/thread-writer-locks); core passes the configured one. */
  lockDir?: string;
}

export interface WaitOptions extends LockOptions {
  /**
   * How long to wait while the lock is held for a short step (compressor, maintenance) or by a
   * holder that records nothing (Codex 0.169). Default DEFAULT_WRITER_WAIT_MS; 0 fails at once.
   */
  timeoutMs?: number;
  /** How long to wait while another writer holds it for a session: 0 (refused at once) unless set. */
  writerTimeoutMs?: number;
  /** What this holder records about itself (default `writer`). */
  role?: LockRole;
}

export interface LockHolder {
  pid?: number;
  host?: string;
  command?: string;
  startedAt?: string;
  role?: LockRole;
}

export interface ThreadWriterLock {
  readonly id: string;
  readonly path: string;
  /** Remove the lock file (under the coordination lock) and drop the flock. Idempotent. */
  release(): void;
}

export function threadLockDir(home: string, opts: LockOptions = {}): string {
  return opts.lockDir ?? path.join(home, THREAD_LOCK_DIR);
}

export function threadLockPath(home: string, id: string, opts: LockOptions = {}): string {
  return path.join(threadLockDir(home, opts), `${id}.lock`);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Run `fn` holding the short-lived coordination flock. */
function underCoordination<T>(dir: string, fn: () => T): T {
  let fd: number;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fd = fs.openSync(path.join(dir, COORDINATION_LOCK), fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new CodexError('ROLLOUT_STORE_UNWRITABLE', `cannot write to the session store: ${dir} (${code})`, { cause: e });
    }
    throw e;
  }
  try {
    const deadline = Date.now() + COORDINATION_TIMEOUT_MS;
    let wait = 1;
    while (!flockTry(fd)) {
      if (Date.now() > deadline) {
        throw new CodexError('ROLLOUT_LOCK_TIMEOUT', `timed out waiting for the thread writer coordination lock ${path.join(dir, COORDINATION_LOCK)}; another process may be suspended while holding it`);
      }
      sleepSync(wait);
      wait = Math.min(wait * 2, 50);
    }
    try {
      return fn();
    } finally {
      flockRelease(fd);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function holderText(role: LockRole): string {
  return (
    JSON.stringify({ pid: process.pid, host: os.hostname(), command: process.argv.slice(1).join(' ') || process.argv0, started_at: new Date().toISOString(), role }) +
    '\n'
  );
}

function checkId(id: string): void {
  if (!isUuid(id)) throw new CodexError('USAGE', `not a thread id: ${JSON.stringify(id)}`);
}

/** Take the thread's writer lock now, or return undefined when another process holds it. */
export function tryThreadWriterLock(home: string, id: string, opts: LockOptions & { role?: LockRole } = {}): ThreadWriterLock | undefined {
  const r = tryLockOrHolder(home, id, opts);
  return 'lock' in r ? r.lock : undefined;
}

/**
 * Take the lock now, or say who holds it. The holder is read under the coordination lock, where
 * holders write it, so a lock being taken is never seen half-written.
 */
function tryLockOrHolder(home: string, id: string, opts: LockOptions & { role?: LockRole }): { lock: ThreadWriterLock } | { holder: LockHolder | undefined } {
  checkId(id);
  const dir = threadLockDir(home, opts);
  const file = path.join(dir, `${id}.lock`);
  const got = underCoordination(dir, (): { fd: number } | { holder: LockHolder | undefined } => {
    const f = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    try {
      if (!flockTry(f)) {
        fs.closeSync(f);
        return { holder: readLockHolder(home, id, opts) };
      }
      fs.ftruncateSync(f, 0);
      fs.writeSync(f, holderText(opts.role ?? 'writer'), 0);
      return { fd: f };
    } catch (e) {
      fs.closeSync(f);
      throw e;
    }
  });
  if (!('fd' in got)) return got;
  const fd = got.fd;
  let released = false;
  return {
    lock: {
      id,
      path: file,
      release() {
        if (released) return;
        released = true;
        try {
          underCoordination(dir, () => {
            try {
              // Remove only our own file: never a newer lock someone created after an outside unlink.
              if (fs.statSync(file).ino === fs.fstatSync(fd).ino) fs.unlinkSync(file);
            } catch {
              /* already gone */
            }
          });
        } finally {
          fs.closeSync(fd);
        }
      },
    },
  };
}

/**
 * Take the thread's writer lock. While it is held for a short step (the compressor's commit,
 * maintenance) or by a holder that records nothing (Codex 0.169), wait up to `timeoutMs` (default
 * DEFAULT_WRITER_WAIT_MS); while another writer of ours holds it for its session, up to
 * `writerTimeoutMs` (default 0: refused at once). Then ROLLOUT_LOCKED naming the holder.
 */
export async function acquireThreadWriterLock(home: string, id: string, opts: WaitOptions = {}): Promise<ThreadWriterLock> {
  const started = Date.now();
  const shortWait = opts.timeoutMs ?? DEFAULT_WRITER_WAIT_MS;
  const writerWait = opts.writerTimeoutMs ?? 0;
  let wait = 5;
  for (;;) {
    const r = tryLockOrHolder(home, id, opts);
    if ('lock' in r) return r.lock;
    const limit = r.holder?.role === 'writer' ? writerWait : shortWait;
    const waited = Date.now() - started;
    if (waited >= limit) {
      const e = lockedError(id, r.holder);
      if (limit > 0) e.message = `${e.message} (waited ${(waited / 1000).toFixed(1)} s)`;
      throw e;
    }
    await new Promise((res) => setTimeout(res, Math.min(wait, limit - waited)));
    wait = Math.min(wait * 2, 200);
  }
}

/** Run `fn` while holding the thread's writer lock; released afterwards even when `fn` throws. */
export async function withThreadWriterLock<T>(home: string, id: string, fn: (lock: ThreadWriterLock) => T | Promise<T>, opts: WaitOptions = {}): Promise<T> {
  const lock = await acquireThreadWriterLock(home, id, opts);
  try {
    return await fn(lock);
  } finally {
    lock.release();
  }
}

/** Is some process holding the thread's writer lock right now? (Probes without keeping it.) */
export function isThreadLocked(home: string, id: string, opts: LockOptions = {}): boolean {
  const file = threadLockPath(home, id, opts);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY);
  } catch {
    return false;
  }
  try {
    if (flockTry(fd, 'shared')) {
      flockRelease(fd);
      return false;
    }
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

/** Who holds the lock: what our own holders record in the file, else the flock owner from /proc/locks. */
export function readLockHolder(home: string, id: string, opts: LockOptions = {}): LockHolder | undefined {
  const file = threadLockPath(home, id, opts);
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    if (text) {
      const v = JSON.parse(text) as { pid?: unknown; host?: unknown; command?: unknown; started_at?: unknown; role?: unknown };
      return {
        pid: typeof v.pid === 'number' ? v.pid : undefined,
        host: typeof v.host === 'string' ? v.host : undefined,
        command: typeof v.command === 'string' ? v.command : undefined,
        startedAt: typeof v.started_at === 'string' ? v.started_at : undefined,
        role: v.role === 'writer' || v.role === 'compressor' || v.role === 'maintenance' ? v.role : undefined,
      };
    }
  } catch {
    /* empty (Codex 0.169 writes nothing) or unreadable: ask the kernel */
  }
  return procLocksHolder(file);
}

/** Find the pid of the flock on `file` in /proc/locks (Linux; same host only). */
function procLocksHolder(file: string): LockHolder | undefined {
  let ino: number;
  let text: string;
  try {
    ino = fs.statSync(file).ino;
    text = fs.readFileSync('/proc/locks', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    // "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"
    const f = line.trim().split(/\s+/);
    if (f[1] !== 'FLOCK' || f[5] === undefined) continue;
    const inode = Number(f[5].split(':')[2]);
    if (inode !== ino) continue;
    const pid = Number(f[4]);
    let command: string | undefined;
    try {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
      /* gone or not visible */
    }
    return { pid, host: os.hostname(), command };
  }
  return undefined;
}

export function describeHolder(h: LockHolder | undefined): string {
  if (!h) return 'an unknown process (no holder recorded)';
  const parts = [h.role && h.role !== 'writer' ? `the ${h.role === 'compressor' ? 'compressor' : 'store maintenance'},` : undefined, h.pid !== undefined ? `pid ${h.pid}` : undefined, h.host ? `on ${h.host}` : undefined, h.command ? `(${h.command})` : undefined, h.startedAt ? `since ${h.startedAt}` : undefined];
  return parts.filter(Boolean).join(' ') || 'an unknown process';
}

export function lockedError(id: string, holder: LockHolder | undefined): CodexError {
  const who = holder?.role === 'compressor' || holder?.role === 'maintenance' ? 'is locked by' : 'already has an active writer:';
  return new CodexError('ROLLOUT_LOCKED', `thread ${id} ${who} ${describeHolder(holder)}`);
}

const NETWORK_FS = new Set(['nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', 'fuse.sshfs', '9p', 'afs', 'ceph', 'glusterfs', 'fuse.glusterfs', 'lustre']);

/** A warning when `dir` is on a network filesystem where advisory locks may silently not work. */
export function networkFsWarning(dir: string): string | undefined {
  let mounts: string;
  try {
    mounts = fs.readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return undefined;
  }
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch {
    return undefined;
  }
  let best = '';
  let bestType = '';
  for (const line of mounts.split('\n')) {
    const [, mnt, type] = line.split(' ');
    if (!mnt || !type) continue;
    const m = mnt.replace(/\\040/g, ' ');
    if ((real === m || real.startsWith(m.endsWith('/') ? m : m + '/')) && m.length >= best.length) {
      best = m;
      bestType = type;
    }
  }
  if (!NETWORK_FS.has(bestType)) return undefined;
  return `${dir} is on a network filesystem (${bestType}): file locks between machines may not work; set [sessions] thread_lock_dir in config.toml to a local directory shared by all writers on this host`;
}

/**
 * Remove lock files nobody holds (left by crashed writers; harmless, but clutter), under the
 * coordination lock so a writer taking a lock meanwhile is never affected. Returns the ids removed.
 */
export function cleanStaleThreadLocks(home: string, opts: LockOptions = {}): string[] {
  const dir = threadLockDir(home, opts);
  const names = readdirNames(dir);
  if (!names) return [];
  const removed: string[] = [];
  underCoordination(dir, () => {
    for (const name of names) {
      const id = name.endsWith('.lock') ? name.slice(0, -5) : '';
      if (!isUuid(id)) continue;
      const file = path.join(dir, name);
      let fd: number;
      try {
        fd = fs.openSync(file, fs.constants.O_RDWR);
      } catch {
        continue;
      }
      try {
        if (!flockTry(fd)) continue;
        try {
          if (fs.statSync(file).ino === fs.fstatSync(fd).ino) {
            fs.unlinkSync(file);
            removed.push(id);
          }
        } finally {
          flockRelease(fd);
        }
      } catch {
        /* vanished meanwhile */
      } finally {
        fs.closeSync(fd);
      }
    }
  });
  return removed;
}
