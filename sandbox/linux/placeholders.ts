// Placeholders: empty dirs created over a missing protected path (`.git`, `.codex`, `.agents` under
// a writable root) just before bwrap starts, and bound read-only on themselves, so the command
// cannot create the real thing. Nothing may be left behind in the user's folders:
// - a sandbox that finds such an empty dir already there (another sandbox's placeholder) leases it
//   just the same;
// - every sandbox using a placeholder holds a shared flock lease on a per-path lock file while its
//   command runs; a placeholder is removed only by whoever can take that lock exclusively (removing
//   it under a running sandbox would detach that sandbox's mount and make the path creatable);
// - the process that creates a placeholder writes its path into the lock file (a claim) and the
//   claim is cleared once the dir is gone, so a crashed run's leftovers are removed by the next
//   start (`sweepPlaceholders`), and a dir the user made later is never touched;
// - a claim is also marked by an empty file of the lock's name in `placeholder-claims/`, written
//   under the lease and removed under the exclusive lock once the claim is cleared: the sweep
//   visits those few marks instead of stat-ing every lock file ever made (one per placeholder path
//   seen, which only grows).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { flockTry, flockWait, nativeCacheRoot } from '../../native/index.js';
import { removeFile } from '../../protocol/index.js';
import { sha256Hex } from './hash.js';

/** Open leases of this process: placeholder path → fds holding a shared lock. */
const leases = new Map<string, number[]>();

function lockDir(env: NodeJS.ProcessEnv): string {
  return path.join(nativeCacheRoot(env), 'placeholder-locks');
}

/** Placeholder path → its lock file's name (set up and release both ask, for each placeholder). */
const lockNames = new Map<string, string>();

function lockFileFor(p: string, env: NodeJS.ProcessEnv): string {
  const dir = lockDir(env);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  let name = lockNames.get(p);
  if (name === undefined) lockNames.set(p, (name = sha256Hex(p, 32) + '.lock'));
  return path.join(dir, name);
}

function claimsDir(env: NodeJS.ProcessEnv): string {
  return path.join(nativeCacheRoot(env), 'placeholder-claims');
}

/** Mark the lock file `lock` as holding a claim (called under its lease, before the claim is written). */
function markClaim(lock: string, env: NodeJS.ProcessEnv): void {
  const dir = claimsDir(env);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(path.join(dir, path.basename(lock)), 'a', 0o600));
}

/** Called under the exclusive lock once the claim of `lock` is cleared. */
function unmarkClaim(lock: string, env: NodeJS.ProcessEnv): void {
  removeFile(path.join(claimsDir(env), path.basename(lock)));
}

export interface PlaceholderSetup {
  /** Placeholders that exist now and are leased (bind them). */
  ready: string[];
  /**
   * Placeholders that could not be created because we may not write there (EACCES, EPERM, EROFS):
   * the command, with the same user and no capabilities, cannot create them either.
   */
  unneeded: string[];
}

/**
 * mkdir -p that reports the dirs it made (deepest last). A dir another sandbox makes meanwhile
 * (both leased it, both saw it missing) is that one's to claim: taken as it is, not as ours.
 */
function mkdirs(p: string): string[] {
  const made: string[] = [];
  const missing: string[] = [];
  for (let d = p; !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) {
    try {
      fs.mkdirSync(d, { mode: 0o755 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
    made.push(d);
  }
  return made;
}

/**
 * Lease, then create, each placeholder (before bwrap starts, so a remover cannot race it). On a
 * failure (e.g. the flock addon cannot load) the leases taken so far are dropped again, then it throws.
 */
export function setUpPlaceholders(placeholders: readonly string[], env: NodeJS.ProcessEnv = process.env): PlaceholderSetup {
  const out: PlaceholderSetup = { ready: [], unneeded: [] };
  try {
    for (const p of placeholders) setUpOne(p, env, out);
  } catch (e) {
    removePlaceholders(out.ready, env);
    throw e;
  }
  return out;
}

/** Leases and, when missing, creates one placeholder; records it in `out`. */
function setUpOne(p: string, env: NodeJS.ProcessEnv, out: PlaceholderSetup): void {
  let fd: number;
  let lock = '';
  try {
    lock = lockFileFor(p, env);
    fd = fs.openSync(lock, 'a+', 0o600);
  } catch {
    // No lock dir (read-only cache): count it in-process only; such a placeholder is never removed.
    fd = -1;
  }
  try {
    if (fd >= 0) flockWait(fd, 'shared');
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  let made: string[];
  try {
    made = mkdirs(p);
  } catch (e) {
    if (fd >= 0) fs.closeSync(fd);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      out.unneeded.push(p);
      return;
    }
    throw e;
  }
  if (made.length > 0 && fd >= 0) {
    markClaim(lock, env);
    fs.appendFileSync(fd, made.map((d) => `${d}\n`).join(''));
  }
  leases.set(p, [...(leases.get(p) ?? []), fd]);
  out.ready.push(p);
}

/** Remove the dirs a claim names (made by a sandbox, never the user's), deepest first, when empty. */
function removeClaimed(fd: number): boolean {
  let claimed: string[];
  try {
    claimed = fs.readFileSync(fd, 'utf8').split('\n').filter(Boolean);
  } catch {
    claimed = [];
  }
  const dirs = [...new Set(claimed)].sort((x, y) => y.length - x.length);
  let allGone = true;
  for (const d of dirs) {
    try {
      fs.rmdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') allGone = false; // not empty: the user's now
    }
  }
  fs.ftruncateSync(fd, 0);
  return allGone;
}

/**
 * Call once the command that used them has exited: drops this command's lease and removes each
 * placeholder (if still empty) when no sandbox anywhere holds a lease on it.
 */
export function removePlaceholders(placeholders: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  for (const p of placeholders) {
    const mine = leases.get(p) ?? [];
    const fd = mine.pop();
    if (mine.length === 0) leases.delete(p);
    if (fd !== undefined && fd >= 0) fs.closeSync(fd);
    if (fd === undefined || fd < 0 || mine.length > 0) continue;
    let probe: number;
    let lock: string;
    try {
      lock = lockFileFor(p, env);
      probe = fs.openSync(lock, 'r+');
    } catch {
      continue;
    }
    try {
      if (flockTry(probe, 'exclusive')) {
        removeClaimed(probe);
        unmarkClaim(lock, env);
      }
    } finally {
      fs.closeSync(probe);
    }
  }
}

let swept = false;

/**
 * Once per process: remove placeholders a killed run left behind (claimed, and leased by nobody).
 * Visits the claim marks; until `placeholder-claims/.legacy-swept` exists (lock files from before
 * the marks), every lock file is visited once, the old way.
 */
export function sweepPlaceholders(env: NodeJS.ProcessEnv = process.env): void {
  if (swept) return;
  swept = true;
  const marks = claimsDir(env);
  const legacyDone = path.join(marks, '.legacy-swept');
  const legacy = !fs.existsSync(legacyDone);
  let names: string[];
  try {
    names = fs.readdirSync(legacy ? lockDir(env) : marks);
  } catch {
    if (!legacy) return;
    names = []; // no lock files yet: nothing from before the marks
  }
  for (const n of names) {
    if (!n.endsWith('.lock')) continue;
    const f = path.join(lockDir(env), n);
    let fd: number;
    try {
      if (legacy && fs.statSync(f).size === 0) continue;
      fd = fs.openSync(f, 'r+');
    } catch {
      if (!legacy) unmarkClaim(f, env); // no lock file: nothing claimed
      continue;
    }
    try {
      if (!flockTry(fd, 'exclusive')) continue;
      removeClaimed(fd);
      if (!legacy) unmarkClaim(f, env);
    } catch {
      /* best effort */
    } finally {
      fs.closeSync(fd);
    }
  }
  if (legacy) {
    try {
      fs.mkdirSync(marks, { recursive: true, mode: 0o700 });
      fs.writeFileSync(legacyDone, '');
    } catch {
      /* read-only cache: swept the old way next time too */
    }
  }
}
