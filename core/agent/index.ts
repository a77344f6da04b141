// The agent session: turns (model request → tool calls → events), the session's store, its
// sandbox policy and instructions. Only what other folders use is here.
export { runTurn, emitWarning, type TurnDeps, type TurnResult } from './turn.js';
export { jsonSink, transcriptSink, type ExecEvent } from './events.js';
// Approvals gate tool calls (core/tools); the session's callers choose the policy and the approver.
export { parseApprovalPolicy, type ApprovalPolicy, type Approver } from '../tools/index.js';
export { resolveSessionPolicy, prepareSandboxedCommand } from './sandbox-glue.js';
export { createSession, openForAppend, findSessionId, lastSessionId } from './store.js';
export { contextWindowOf, historyFromRollout, reasoningFromConfig, type Session } from './session.js';
export { BASE_INSTRUCTIONS } from './instructions.js';
export { agentsText, gitInfo } from './project.js';
