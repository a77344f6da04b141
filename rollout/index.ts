// The rollout store: format, readers (.jsonl / .jsonl.zst), recorder, materialize, locks,
// archive/unarchive, names, lookup, listing and search. See README "Sessions".
// Only what other folders use is exported here; tests import the files they test directly.
export { codexHome } from './paths.js';
export { type StoreWarning, formatWarning } from './warnings.js';
export { readRecords, readAllRecords } from './reader.js';
export { networkFsWarning, type WaitOptions } from './locks.js';
export { RolloutRecorder } from './recorder.js';
export { archiveSession, unarchiveSession, type MoveResult } from './archive.js';
export { resolveSession } from './lookup.js';
export { scopeEntries, type Scope } from './scan.js';
export { uuidv7 } from './uuid.js';
export { type SessionSummary } from './head.js';
export { listSessions } from './list.js';
export { searchSessions, settleSearches, type SearchHit, type SearchHooks } from './search/index.js';
export { readTranscript } from './transcript.js';
