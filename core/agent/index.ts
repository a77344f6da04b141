export { runTurn, emitWarning, type TurnDeps, type TurnResult } from './turn.js';
export { jsonSink, transcriptSink, type EventSink, type ExecEvent, type ThreadItem } from './events.js';
// Approvals gate tool calls (core/tools); the session's callers choose the policy and the approver.
export { parseApprovalPolicy, type ApprovalPolicy, type Approver } from '../tools/index.js';
export { resolveSessionPolicy, prepareSandboxedCommand, preparerFor, type SandboxMode } from './sandbox-glue.js';
export { resolveConfiguredPolicy, windowsRefusal } from '../config/index.js';
export { createSession, openForAppend, findSessionId, lastSessionId, type SessionWriter } from './store.js';
export { contextWindowOf, historyFromRollout, reasoningFromConfig, type Session } from './session.js';
export { BASE_INSTRUCTIONS } from './instructions.js';
export { agentsText, agentsMessage, gitInfo, projectDocDirs, originUrl, type GitInfo } from './project.js';
export { pool, serialized } from './pool.js';
export { requestHeaders, userAgent } from './headers.js';
