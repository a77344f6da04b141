// Archive / unarchive: rename(2) the rollout (whichever forms exist) between sessions/YYYY/MM/DD/
// and archived_sessions/, keeping bytes and mtime, under the thread writer lock.
import * as path from 'node:path';
import { CodexError } from '../protocol/index.js';
import { updateCodexIndex, type IndexResult } from './codex-index.js';
import { existsSync, fsyncDir, moveFile } from './fsutil.js';
import { withThreadWriterLock, type WaitOptions } from './locks.js';
import { findById, resolveSession } from './lookup.js';
import { ARCHIVED_DIR, dayDirOfStamp, plainPathOf, zstPathOf } from './paths.js';

export interface MoveResult {
  id: string;
  /** Final path of the readable form. */
  path: string;
  /** False when it was already where asked (nothing moved). */
  moved: boolean;
  /** What became of Codex 0.169's own index row of the thread (state_5.sqlite). */
  codexIndex: IndexResult;
}

async function move(home: string, idOrName: string, toArchive: boolean, opts: WaitOptions): Promise<MoveResult> {
  const { entry } = resolveSession(home, idOrName);
  return withThreadWriterLock(
    home,
    entry.id,
    async () => {
      const cur = findById(home, entry.id);
      if (!cur) throw new CodexError('SESSION_NOT_FOUND', `no session with id '${entry.id}'`);
      if (cur.archived === toArchive) return { id: cur.id, path: cur.path, moved: false, codexIndex: { status: 'no_row' } };
      const fromDir = path.dirname(cur.path);
      const toDir = toArchive ? path.join(home, ARCHIVED_DIR) : dayDirOfStamp(home, cur.stamp);
      const plain = plainPathOf(cur.path);
      const zst = zstPathOf(cur.path);
      for (const src of [zst, plain]) {
        if (!existsSync(src)) continue;
        const dst = path.join(toDir, path.basename(src));
        if (existsSync(dst)) throw new CodexError('ROLLOUT_NAME_COLLISION', `cannot move ${src}: ${dst} already exists`);
        moveFile(src, dst);
      }
      fsyncDir(toDir);
      fsyncDir(fromDir);
      const finalPath = path.join(toDir, path.basename(cur.path));
      // Still under the thread lock: Codex sees the row change with the file.
      const codexIndex = await updateCodexIndex(home, (ix) => ix.moved(cur.id, finalPath, toArchive, Date.now()));
      return { id: cur.id, path: finalPath, moved: true, codexIndex };
    },
    // A short step: a writer finding it waits, as for the compressor.
    { role: 'maintenance', ...opts },
  );
}

export function archiveSession(home: string, idOrName: string, opts: WaitOptions = {}): Promise<MoveResult> {
  return move(home, idOrName, true, opts);
}

export function unarchiveSession(home: string, idOrName: string, opts: WaitOptions = {}): Promise<MoveResult> {
  return move(home, idOrName, false, opts);
}

