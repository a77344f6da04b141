// Which threads `codex sessions prune` would remove: pure, from the store snapshot's threads (the
// model doctor and the compressor plan on too). The source
// filter needs each candidate's session_meta and is applied by the caller (prune.ts).
import { threadFiles, type ThreadFiles } from './threads.js';
import { stampOf, type Action, type ThreadSnapshot } from '../store/index.js';

export interface PruneCriteria {
  now: number;
  olderThanMs: number;
  archivedOnly: boolean;
}

/** Threads whose last write is older than the cutoff (and archived, when asked), oldest first. */
export function planPrune(threads: readonly ThreadSnapshot[], c: PruneCriteria): ThreadFiles[] {
  const cutoff = c.now - c.olderThanMs;
  return threads
    .map(threadFiles)
    .filter((t) => t.lastWriteMs < cutoff && (!c.archivedOnly || t.archived))
    .sort((a, b) => a.lastWriteMs - b.lastWriteMs || (a.id < b.id ? -1 : 1));
}

/** The executor's action that removes one planned thread (the executor, store/executor.ts, re-checks every file first). */
export function pruneAction(t: ThreadFiles): Action {
  return { kind: 'prune_thread', thread: t.id, files: t.files.map((f) => ({ path: f.path, expect: stampOf(f) })) };
}
