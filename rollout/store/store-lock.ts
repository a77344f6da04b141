// The store-level lock `.tmp/rollout-compression.lock`: one compression worker per store.
//
// The holder keeps an exclusive flock on the file for the whole run (so two of our processes on one
// host can never both hold it, and a dead holder's flock vanishes with it), writes
// `pid=… host=… started_at=…` into it (what Codex 0.169 writes, plus the host) and refreshes its
// mtime every heartbeat. A file nobody flocks is judged by its content and age: stale when its mtime
// is older than the stale limit, or when it names this host (or no host, like 0.169's files) and a
// pid that is dead or started after the lock was written. Takeover happens under the flock, so two
// processes racing to take over a stale lock never both win.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { flockRelease, flockTry } from '../../native/index.js';
import { hostName, pidAlive, pidStartMs } from '../proc.js';

export const STORE_LOCK_NAME = 'rollout-compression.lock';

export interface LockInfo {
  pid?: number;
  host?: string;
  startedAtMs?: number;
  raw: string;
}

export interface StoreLock {
  path: string;
  /** Set when a stale lock was replaced: who held it. */
  tookOver?: string;
  /** Refresh the heartbeat now (also done by a timer). */
  beat(): void;
  release(): void;
}

export type AcquireResult = { ok: true; lock: StoreLock } | { ok: false; holder: string };

/** Parse our format or 0.169's `pid=14226 started_at=SystemTime { tv_sec: 1795616739, tv_nsec: 370368523 }`. */
export function parseLockText(raw: string): LockInfo {
  const info: LockInfo = { raw };
  const pid = /\bpid=(\d+)/.exec(raw);
  if (pid) info.pid = Number(pid[1]);
  const host = /\bhost=(\S+)/.exec(raw);
  if (host) info.host = host[1];
  const ms = /\bstarted_at_ms=(\d+)/.exec(raw);
  const sec = /tv_sec:\s*(\d+)/.exec(raw);
  const iso = /\bstarted_at=(\d{4}-\d\d-\d\dT[^\s]+)/.exec(raw);
  if (ms) info.startedAtMs = Number(ms[1]);
  else if (sec) info.startedAtMs = Number(sec[1]) * 1000;
  else if (iso && !Number.isNaN(Date.parse(iso[1]!))) info.startedAtMs = Date.parse(iso[1]!);
  return info;
}

export function describeLock(info: LockInfo, mtimeMs: number): string {
  const who = [info.pid !== undefined ? `pid ${info.pid}` : 'unknown pid', info.host ? `on ${info.host}` : undefined].filter(Boolean).join(' ');
  return `${who}, heartbeat ${Math.max(0, Math.round((Date.now() - mtimeMs) / 1000))} s ago`;
}

/** Pure staleness rule of a lock file nobody holds a flock on. */
export function isStale(info: LockInfo, mtimeMs: number, nowMs: number, staleMs: number, thisHost: string, alive: (pid: number) => boolean, startMs: (pid: number) => number | undefined): boolean {
  if (nowMs - mtimeMs > staleMs) return true;
  if (info.raw.trim() === '') return true; // a creator died before writing: nothing to protect
  if (info.host !== undefined && info.host !== thisHost) return false; // another machine: only its heartbeat tells
  if (info.pid === undefined) return false;
  if (!alive(info.pid)) return true;
  // pid reuse: a live process that started after the lock was written is not the holder
  const started = startMs(info.pid);
  return started !== undefined && info.startedAtMs !== undefined && started > info.startedAtMs + 2000;
}

export function acquireStoreLock(tmpDir: string, opts: { staleMs: number; heartbeatMs: number; now?: () => number }): AcquireResult {
  const now = opts.now ?? Date.now;
  const file = path.join(tmpDir, STORE_LOCK_NAME);
  fs.mkdirSync(tmpDir, { recursive: true });
  for (let attempt = 0; attempt < 5; attempt++) {
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    let keep = false;
    try {
      if (!flockTry(fd)) {
        const st = fs.fstatSync(fd);
        return { ok: false, holder: describeLock(parseLockText(readFd(fd)), st.mtimeMs) };
      }
      // A releaser may have unlinked the file between our open and flock: lock the live inode only.
      let linked: fs.Stats | undefined;
      try {
        linked = fs.statSync(file);
      } catch {
        /* gone */
      }
      const mine = fs.fstatSync(fd);
      if (!linked || linked.ino !== mine.ino || linked.dev !== mine.dev) continue;
      const info = parseLockText(readFd(fd));
      let tookOver: string | undefined;
      if (info.raw.trim() !== '') {
        if (!isStale(info, mine.mtimeMs, now(), opts.staleMs, hostName(), pidAlive, pidStartMs)) {
          return { ok: false, holder: describeLock(info, mine.mtimeMs) };
        }
        tookOver = describeLock(info, mine.mtimeMs);
      }
      writeHolder(fd, now());
      keep = true;
      return { ok: true, lock: makeLock(file, fd, opts.heartbeatMs, tookOver) };
    } finally {
      if (!keep) fs.closeSync(fd);
    }
  }
  return { ok: false, holder: 'a lock file that keeps being replaced' };
}

function readFd(fd: number): string {
  const buf = Buffer.alloc(4096);
  const n = fs.readSync(fd, buf, 0, buf.length, 0);
  return buf.subarray(0, n).toString('utf8');
}

function writeHolder(fd: number, nowMs: number): void {
  const text = `pid=${process.pid} host=${hostName()} started_at=${new Date(nowMs).toISOString()} started_at_ms=${nowMs} by=codex-ts\n`;
  fs.ftruncateSync(fd, 0);
  fs.writeSync(fd, text, 0);
  fs.fsyncSync(fd);
}

function makeLock(file: string, fd: number, heartbeatMs: number, tookOver: string | undefined): StoreLock {
  let released = false;
  const beat = () => {
    if (released) return;
    try {
      const t = new Date();
      fs.futimesSync(fd, t, t);
    } catch {
      /* best effort: a missed beat only makes the lock look older */
    }
  };
  const timer = heartbeatMs > 0 ? setInterval(beat, heartbeatMs) : undefined;
  timer?.unref();
  return {
    path: file,
    ...(tookOver !== undefined ? { tookOver } : {}),
    beat,
    release() {
      if (released) return;
      released = true;
      if (timer) clearInterval(timer);
      try {
        // Unlink while still holding the flock; a waiter that locks the old inode re-checks the link.
        const linked = fs.statSync(file);
        const mine = fs.fstatSync(fd);
        if (linked.ino === mine.ino && linked.dev === mine.dev) fs.unlinkSync(file);
      } catch {
        /* already gone */
      }
      try {
        flockRelease(fd);
      } catch {
        /* closing releases it anyway */
      }
      fs.closeSync(fd);
    },
  };
}
