// Materialize before append: a `.jsonl.zst` becomes plain `.jsonl` again with the exact original
// bytes (temp + fsync + link-into-place + dir fsync, then remove the `.zst`). Callers hold the
// thread writer lock. A plain file that already exists wins and the `.zst` is left alone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodexError } from '../protocol/index.js';
import { pidAlive } from './proc.js';
import { updateCodexIndex } from './codex-index.js';
import { existsSync, fsyncDir, readdirNames, tempBeside, writeDurable } from './fsutil.js';
import { plainPathOf, zstPathOf } from './paths.js';
import { readContent, ReadWarning } from './reader.js';

export interface MaterializeResult {
  /** The plain `.jsonl` path to append to. */
  path: string;
  /** True when this call decompressed a `.zst` (false: the plain file was already there). */
  materialized: boolean;
}

/** Make sure the rollout at `file` (either form) exists as plain `.jsonl`. Call under the thread lock. */
export async function materializeLocked(file: string, thread?: { home: string; id: string }): Promise<MaterializeResult> {
  const plain = plainPathOf(file);
  const zst = zstPathOf(file);
  removeDeadMaterializeTemps(plain);
  if (existsSync(plain)) return { path: plain, materialized: false };
  let st: fs.Stats;
  try {
    st = fs.statSync(zst);
  } catch {
    throw new CodexError('SESSION_NOT_FOUND', `no rollout at ${plain} or ${zst}`);
  }
  let bytes: Buffer;
  try {
    bytes = await readContent(zst);
  } catch (e) {
    if (e instanceof ReadWarning) throw new CodexError(e.warning.code, `cannot materialize ${zst}: ${e.warning.message}`);
    throw e;
  }
  const tmp = tempBeside(plain, TEMP_TAG);
  try {
    writeDurable(tmp, bytes, st);
    try {
      // link(2) never replaces: if a plain file appeared meanwhile, it wins.
      fs.linkSync(tmp, plain);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      return { path: plain, materialized: false };
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  const dir = path.dirname(plain);
  fsyncDir(dir);
  fs.rmSync(zst, { force: true });
  fsyncDir(dir);
  // Codex's index follows the file (a failure there never fails the resume: the file is right).
  if (thread) await updateCodexIndex(thread.home, (ix) => ix.setPath(thread.id, plain));
  return { path: plain, materialized: true };
}

const TEMP_TAG = 'rollout-materialize';

/**
 * Temps of this thread left by a materialize that was killed (full-size copies of the content the
 * `.zst` or the plain file still holds). Called under the thread lock, so no live writer of this
 * thread can own one; a temp whose pid is alive (a reused pid, another host) is left to doctor.
 */
export function removeDeadMaterializeTemps(plain: string): string[] {
  const dir = path.dirname(plain);
  const prefix = `.${TEMP_TAG}-${path.basename(plain)}.`;
  const removed: string[] = [];
  for (const name of readdirNames(dir) ?? []) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (pid === process.pid || pidAlive(pid)) continue;
    try {
      fs.unlinkSync(path.join(dir, name));
      removed.push(path.join(dir, name));
    } catch {
      /* gone meanwhile */
    }
  }
  return removed;
}
