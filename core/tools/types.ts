// What every tool handler gets and gives back.
import type { EffectivePolicy } from '../../sandbox/index.js';
import type { ApprovalPolicy, Approver } from './approval.js';
import type { ToolEvent } from './events.js';
import type { ProcessManager } from './processes.js';
import type { ShellSnapshot } from './shell-snapshot.js';
import type { SpawnPreparer } from './spawn.js';

export interface ToolContext {
  cwd: string;
  policy: EffectivePolicy;
  approvalPolicy: ApprovalPolicy;
  approve: Approver;
  prepare: SpawnPreparer;
  /** Environment given to commands. */
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** This executable (runs `--codex-run-as-apply-patch`). */
  selfExe: string;
  emit: (e: ToolEvent) => void;
  /** Default timeout (ms) of the legacy `shell` tool and of apply_patch's helper run. */
  timeoutMs: number;
  /** The session's commands that outlived their call (unified exec). */
  processes: ProcessManager;
  /** The thread and this program's version, given to commands as CODEX_THREAD_ID / CODEX_VERSION. */
  threadId?: string;
  version?: string;
  /** The login shell's set-up, saved once per session (absent: every login command runs the profile). */
  snapshot?: ShellSnapshot;
}

/** A tool call as the model sent it. */
export interface ToolCall {
  callId: string;
  name: string;
  /** Function arguments (JSON text) or a custom tool's raw input. */
  input: string;
  custom: boolean;
}

export interface ToolOutcome {
  /** Text sent back to the model as the call's output. */
  output: string;
  success: boolean;
}
