// The session store's physical model, shared by the maintenance commands (manage/) and the
// compressor (compress/): one stat-only scan of the store into threads and their copies
// (snapshot.ts over walk.ts), typed actions planners return (actions.ts) and the one executor that
// applies them under the thread lock after re-checking them (executor.ts); with the pieces both
// sides need: the content comparison of a plain/.zst pair (damage.ts), the quarantine, temp names,
// the store-level compression lock, and session_index.jsonl rewriting.
export * from './actions.js';
export { writeFileAtomic, type AtomicWriteOptions } from './atomic.js';
export * from './compression-lock.js';
export * from './damage.js';
export * from './executor.js';
export * from './quarantine.js';
export { sessionIndexPath, readIndexEntries, withoutIds, removeIndexEntries, type IndexEntry as SessionIndexEntry } from './session-index.js';
export * from './snapshot.js';
export * from './store-lock.js';
export * from './temps.js';
export * from './walk.js';
