// The agent session: turns (model request → tool calls → events), the session's store, its
// sandbox policy and instructions. Only what other folders use is here.
export { runTurn, emitWarning, type TurnDeps, type TurnResult } from './turn.js';
export { jsonSink, transcriptSink, type AgentMessageDelta, type EventSink, type ExecEvent, type ThreadItem } from './events.js';
// Approvals gate tool calls (core/tools); the session's callers choose the policy and the approver.
export { parseApprovalPolicy, type ApprovalPolicy, type Approver } from '../tools/index.js';
export { resolveSessionPolicy, prepareSandboxedCommand, preparerFor, type SandboxMode } from './sandbox-glue.js';
export { resolveConfiguredPolicy, windowsRefusal } from '../config/index.js';
export { createSession, openForAppend, findSessionId, lastSessionId, type SessionWriter } from './store.js';
export { buildSession, contextWindowOf, historyFromRollout, type Session, type SessionSetup, type ThreadStart } from './session.js';
export { BASE_INSTRUCTIONS } from './instructions.js';
export { agentsText, gitInfo } from './project.js';
