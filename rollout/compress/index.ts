export { runCompressionPass, scanArchived } from './pass.js';
export type { CompressPassOptions, PassSummary, PassProgress, PassHooks, FileOutcome, FileAction, SkipReason } from './types.js';
