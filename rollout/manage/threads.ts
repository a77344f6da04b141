// Rollout files grouped by thread id (a thread may have a plain and a compressed form, or, in a
// damaged store, copies in both trees).
import { type StoreFile } from '../store/index.js';

export interface ThreadFiles {
  id: string;
  stamp: string;
  files: StoreFile[];
  bytes: number;
  /** Latest mtime over the thread's files: the last time anything was written to it. */
  lastWriteMs: number;
  /** Every file of the thread is in archived_sessions/. */
  archived: boolean;
}

export function groupThreads(files: readonly StoreFile[]): ThreadFiles[] {
  const byId = new Map<string, ThreadFiles>();
  for (const f of files) {
    if (!f.rollout) continue;
    let t = byId.get(f.rollout.id);
    if (!t) byId.set(f.rollout.id, (t = { id: f.rollout.id, stamp: f.rollout.stamp, files: [], bytes: 0, lastWriteMs: 0, archived: true }));
    t.files.push(f);
    t.bytes += f.size;
    t.lastWriteMs = Math.max(t.lastWriteMs, f.mtimeMs);
    if (f.root !== 'archived') t.archived = false;
  }
  return [...byId.values()];
}
