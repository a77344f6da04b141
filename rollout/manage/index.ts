// Session management on top of the rollout store: storage report, export, prune, doctor.
export { parseDuration, formatDuration } from './duration.js';
export { walkStore, type StoreFile, type StoreRoot } from './walk.js';
export { buildStorageReport, renderStorageText, formatBytes, type StorageReport } from './storage.js';
export { estimateCompression, DEFAULT_RATIO } from './estimate.js';
export { renderMarkdown, patchToDiff, truncate, type MarkdownOptions } from './export-md.js';
export { exportSession, type ExportFormat, type ExportResult } from './export.js';
export { planPrune, type PruneCriteria } from './prune-plan.js';
export { prune, type PruneOptions, type PruneReport } from './prune.js';
export { doctor, isTempName, compressionLockStale, type DoctorReport, type DoctorOptions, type Finding, type Fix } from './doctor.js';
export { analyzeContent, relate, type ContentDamage, type PairRelation } from './damage.js';
export { removeIndexEntries, readIndexEntries, withoutIds } from './session-index.js';
export { groupThreads, type ThreadFiles } from './threads.js';
export { storageReport, assertStoreWritable, storeWriteError } from './report.js';
