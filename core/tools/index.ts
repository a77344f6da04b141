export { runTool, KNOWN_TOOLS } from './dispatch.js';
export { toolSpecs } from './specs.js';
export { truncateForModel, MODEL_MAX_BYTES, MODEL_MAX_LINES } from './truncate.js';
export { runPrepared, DEFAULT_TIMEOUT_MS, MAX_OUTPUT_BYTES, type ExecResult, type PreparedSpawn, type SpawnPreparer, type SpawnRequest } from './spawn.js';
export { writeDenial, canonicalTarget } from './patch-tool.js';
export { formatExecOutput } from './exec-tool.js';
export { shQuote, shJoin } from './quote.js';
export type { ToolCall, ToolContext, ToolEvent, ToolOutcome, FileChangeKind } from './types.js';
export { shellEnvironment } from './shell-env.js';
