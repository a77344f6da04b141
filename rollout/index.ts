// The rollout store: format, readers (.jsonl / .jsonl.zst), recorder, materialize, locks,
// archive/unarchive, names, lookup, listing and search. See README "Sessions".
export * from './format.js';
export * from './paths.js';
export type { StoreWarning, WarningCode, WarningSink } from './warnings.js';
export { formatWarning } from './warnings.js';
export { recordsOfLine, LineSplitter } from './lines.js';
export { resolveReadable, streamContent, readRecords, readAllRecords, readContent, ReadWarning, isCompressedPath } from './reader.js';
export {
  THREAD_LOCK_DIR,
  COORDINATION_LOCK,
  threadLockDir,
  threadLockPath,
  tryThreadWriterLock,
  acquireThreadWriterLock,
  withThreadWriterLock,
  isThreadLocked,
  readLockHolder,
  describeHolder,
  lockedError,
  networkFsWarning,
  cleanStaleThreadLocks,
  type LockHolder,
  type LockOptions,
  type ThreadWriterLock,
} from './locks.js';
export { materializeLocked, type MaterializeResult } from './materialize.js';
export { RolloutRecorder, type NewSessionOptions } from './recorder.js';
export { archiveSession, unarchiveSession, type MoveResult } from './archive.js';
export { readNameIndex, idsWithName, appendNameEntry, type NameEntry } from './names.js';
export { setThreadName } from './thread-name.js';
export { findById, resolveSession, type Resolved } from './lookup.js';
export { scopeEntries, activeEntries, archivedEntries, entriesInDir, dayDirs, compareEntriesDesc, type RolloutEntry, type Scope } from './scan.js';
export { fsyncDir, tempBeside, writeDurable } from './fsutil.js';
export { uuidv7 } from './uuid.js';
export { readHead, summarize, type Head, type SessionSummary } from './head.js';
export { listSessions, encodeCursor, decodeCursor, type ListOptions, type ListPage, type CursorKey } from './list.js';
export { searchSessions, type SearchHit, type SearchHooks, type SearchOptions, type SearchStats } from './search/index.js';
export { readTranscript, type TranscriptMessage } from './transcript.js';
