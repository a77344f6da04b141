// The model's tools (exec_command/write_stdin, shell, apply_patch, update_plan), what they run
// commands through, and the approval gate in front of them. Only what other folders use is here.
export { runTool } from './dispatch.js';
export { toolSpecs } from './specs.js';
export { DEFAULT_TIMEOUT_MS, type PreparedSpawn, type SpawnPreparer, type SpawnRequest } from './spawn.js';
export type { ToolCall, ToolOutcome } from './types.js';
export type { ToolEvent } from './events.js';
export { shellEnvironment } from './shell-env.js';
export { ProcessManager } from './processes.js';
export { finishedKilled } from './unified-exec.js';
export { ShellSnapshot } from './shell-snapshot.js';
export { parseApprovalPolicy, type ApprovalPolicy, type Approver } from './approval.js';
