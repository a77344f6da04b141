// Placeholders: empty dirs bwrap binds read-only over a missing protected path (e.g. `.codex`) so
// the command cannot create it. Removing one while another sandbox still uses it as a mount point
// detaches that mount there (its `.codex` becomes creatable), so every user holds a shared flock
// lease on a per-placeholder lock file for as long as its command runs, and a placeholder is
// removed only by whoever can take that lock exclusively: no sandbox of any process still uses it.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { flockTry, flockWait, nativeCacheRoot } from '../../native/index.js';

/** Open leases of this process: placeholder path → fds holding a shared lock. */
const leases = new Map<string, number[]>();

function lockFileFor(p: string, env: NodeJS.ProcessEnv): string {
  const dir = path.join(nativeCacheRoot(env), 'placeholder-locks');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return path.join(dir, crypto.createHash('sha256').update(p).digest('hex').slice(0, 32) + '.lock');
}

/** Take a shared lease on each placeholder (before bwrap starts, so a remover cannot race it). */
export function leasePlaceholders(placeholders: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  for (const p of placeholders) {
    let fd: number;
    try {
      fd = fs.openSync(lockFileFor(p, env), 'a', 0o600);
    } catch {
      // No lock dir (read-only cache): count it in-process only; such a placeholder is never removed.
      fd = -1;
    }
    if (fd >= 0) flockWait(fd, 'shared');
    leases.set(p, [...(leases.get(p) ?? []), fd]);
  }
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
    try {
      probe = fs.openSync(lockFileFor(p, env), 'a', 0o600);
    } catch {
      continue;
    }
    try {
      if (flockTry(probe, 'exclusive')) {
        try {
          fs.rmdirSync(p);
        } catch {
          /* gone, or not empty: leave it */
        }
      }
    } finally {
      fs.closeSync(probe);
    }
  }
}
