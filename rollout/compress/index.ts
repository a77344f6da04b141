export { runCompressionPass, scanArchived } from './pass.js';
export { acquireStoreLock, parseLockText, isStale, STORE_LOCK_NAME, type StoreLock, type LockInfo } from './store-lock.js';
export { ownedOnThisHost, removeStaleTemps, tempOwner } from './temps.js';
export { pidAlive } from './proc.js';
export type { CompressPassOptions, PassSummary, PassProgress, PassHooks, FileOutcome, FileAction, SkipReason } from './types.js';
