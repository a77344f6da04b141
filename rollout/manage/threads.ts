// A thread of the store snapshot (store/snapshot.ts) seen as prune sees it: all its files (every
// copy, both forms), their total size and its last write.
import type { StoreFile, ThreadSnapshot } from '../store/index.js';

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

export function threadFiles(t: ThreadSnapshot): ThreadFiles {
  const files = t.copies.flatMap((c) => [c.plain, c.zst].filter((f): f is StoreFile => f !== undefined));
  return {
    id: t.id,
    stamp: t.stamp,
    files,
    bytes: files.reduce((a, f) => a + f.size, 0),
    lastWriteMs: Math.max(0, ...files.map((f) => f.mtimeMs)),
    archived: files.every((f) => f.root === 'archived'),
  };
}
