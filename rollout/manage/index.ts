// Session management on top of the rollout store: storage report, export, prune, doctor (the store model
// they plan on is store/index.ts).
export { parseDuration, formatDuration } from './duration.js';
export { buildStorageReport, renderStorageText, formatBytes, type StorageReport } from './storage.js';
export { estimateCompression, DEFAULT_RATIO } from './estimate.js';
export { renderMarkdown, patchToDiff, truncate, type MarkdownOptions } from './export-md.js';
export { exportSession, type ExportFormat, type ExportResult } from './export.js';
export { planPrune, type PruneCriteria } from './prune-plan.js';
export { prune, type PruneOptions, type PruneReport } from './prune.js';
export { doctor, isTempName, type DoctorReport, type DoctorOptions, type Finding, type FindingCode, type Fix } from './doctor.js';
export { planDoctor, planThread, type Planned, type PlanContext } from './doctor-plan.js';
export { inspectStore, inspectCopy, type StoreFacts, type CopyFacts } from './inspect.js';
export { threadFiles, type ThreadFiles } from './threads.js';
export { storageReport, assertStoreWritable, storeWriteError } from './report.js';
