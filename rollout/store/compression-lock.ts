// Doctor's view of the compression worker's store lock. One staleness rule for both (isStale in
// store-lock.ts), judged with the configured limit and the caller's clock; a lock whose
// flock is held belongs to a live worker however old its heartbeat.
import * as fs from 'node:fs';
import { flockRelease, flockTry } from '../../native/index.js';
import { isStale, parseLockText } from './store-lock.js';
import { hostName, pidAlive, pidStartMs } from '../proc.js';

export interface StaleRule {
  staleMs: number;
  now: () => number;
}

/** Why the compression lock is stale, or undefined when it is live or absent. */
export function compressionLockStale(file: string, rule: StaleRule): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY);
  } catch {
    return undefined;
  }
  try {
    if (!flockTry(fd, 'shared')) return undefined; // a live worker holds it
    flockRelease(fd);
    return staleReason(fd, rule);
  } finally {
    fs.closeSync(fd);
  }
}

function staleReason(fd: number, rule: StaleRule): string | undefined {
  const st = fs.fstatSync(fd);
  if (st.nlink === 0) return undefined; // replaced meanwhile
  const info = parseLockText(fs.readFileSync(fd, 'utf8'));
  const now = rule.now();
  if (!isStale(info, st.mtimeMs, now, rule.staleMs, hostName(), pidAlive, pidStartMs)) return undefined;
  const age = now - st.mtimeMs;
  if (age > rule.staleMs) return `no heartbeat for ${Math.round(age / 60_000)} min${info.pid !== undefined ? ` (pid ${info.pid})` : ''}`;
  return info.pid !== undefined ? `its holder (pid ${info.pid}) is not running` : 'it names no holder';
}

/** Remove a stale compression lock under an exclusive flock, re-judging it first. False: taken meanwhile. */
export function removeStaleCompressionLock(file: string, rule: StaleRule): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY);
  } catch {
    return true; // gone already
  }
  try {
    if (!flockTry(fd)) return false;
    try {
      if (!staleReason(fd, rule)) return false;
      fs.unlinkSync(file);
      return true;
    } finally {
      flockRelease(fd);
    }
  } finally {
    fs.closeSync(fd);
  }
}
