export { runTurn, emitWarning, type TurnDeps, type TurnResult } from './turn.js';
export { jsonSink, transcriptSink, type EventSink, type ExecEvent, type ThreadItem } from './events.js';
export { parseApprovalPolicy, gateExec, isSafeCommand, looksLikeSandboxDenial, type ApprovalPolicy, type Approver, type ApprovalAnswer } from './approval.js';
export { resolveSessionPolicy, prepareSandboxedCommand, preparerFor, type SandboxMode } from './sandbox-glue.js';
export { resolveConfiguredPolicy, windowsRefusal } from '../config/index.js';
export { createSession, openForAppend, findSessionId, lastSessionId, type SessionWriter } from './store.js';
export { historyFromRollout, reasoningFromConfig, type Session } from './session.js';
export { BASE_INSTRUCTIONS } from './instructions.js';
