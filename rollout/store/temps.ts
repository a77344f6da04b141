// Temp files of the worker (`.tmp/rollout-compress.<host>.<pid>.<rand>.<name>.zst.tmp`) and of
// materialize (`archived_sessions/.rollout-materialize-<name>.<pid>.<rand>.tmp`): names carry the
// owner so a crashed run's leftovers can be told from a live run's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hostName, pidAlive } from '../proc.js';
import { readdirNames } from '../fsutil.js';
import { randomBytes } from '../uuid.js';

const COMPRESS_TEMP = /^rollout-compress\.([^.]+)\.(\d+)\.[0-9a-f]+\..*\.tmp$/;
const MATERIALIZE_TEMP = /^\.rollout-materialize-.*\.(\d+)\.[0-9a-f]+\.tmp$/;

function safeHost(): string {
  return hostName().replace(/[^A-Za-z0-9-]/g, '_') || 'localhost';
}

export function compressTempPath(tmpDir: string, plainName: string): string {
  return path.join(tmpDir, `rollout-compress.${safeHost()}.${process.pid}.${randomBytes(4).toString('hex')}.${plainName}.zst.tmp`);
}

/** Owner of a temp name (host undefined: this host assumed), or undefined when it is not ours to judge. */
export function tempOwner(name: string, kind: 'compress' | 'materialize'): { host?: string; pid: number } | undefined {
  if (kind === 'compress') {
    const m = COMPRESS_TEMP.exec(name);
    return m ? { host: m[1]!, pid: Number(m[2]) } : undefined;
  }
  const m = MATERIALIZE_TEMP.exec(name);
  return m ? { pid: Number(m[1]) } : undefined;
}

/** True when a temp's owner runs (or ran) on this host: its pid can then be checked here. */
export function ownedOnThisHost(owner: { host?: string }): boolean {
  return owner.host === undefined || owner.host === safeHost();
}

/**
 * Remove temps left by dead runs: those older than `staleMs`, or whose owner pid on this host is
 * gone. A temp of a live process is never touched. Returns the removed paths.
 */
export function removeStaleTemps(dirs: { dir: string; kind: 'compress' | 'materialize' }[], staleMs: number, nowMs: number): string[] {
  const removed: string[] = [];
  for (const { dir, kind } of dirs) {
    const names = readdirNames(dir);
    if (!names) continue;
    for (const name of names) {
      const owner = tempOwner(name, kind);
      if (!owner) continue;
      const file = path.join(dir, name);
      let st: fs.Stats;
      try {
        st = fs.lstatSync(file);
      } catch {
        continue;
      }
      if (!st.isFile()) continue;
      const ownerGone = ownedOnThisHost(owner) && owner.pid !== process.pid && !pidAlive(owner.pid);
      // ctime, not mtime: temps get the source's (old) mtime copied onto them before the rename.
      if (ownerGone || nowMs - st.ctimeMs > staleMs) {
        try {
          fs.unlinkSync(file);
          removed.push(file);
        } catch {
          /* vanished or not removable: reported by the next run */
        }
      }
    }
  }
  return removed;
}
