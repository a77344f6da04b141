// What the interactive session runs on: the same config, policy, provider, session and rollout
// functions `codex exec` uses (core/agent), assembled once per UI session.
import { CODEX_TS_VERSION, isCodexError } from '../../protocol/index.js';
import {
  BASE_INSTRUCTIONS,
  agentsText,
  createSession,
  gitInfo,
  historyFromRollout,
  openForAppend,
  parseApprovalPolicy,
  prepareSandboxedCommand,
  reasoningFromConfig,
  contextWindowOf,
  resolveSessionPolicy,
  type ApprovalPolicy,
  type Session,
  type TurnDeps,
} from '../agent/index.js';
import { uuidv7 } from '../../rollout/index.js';
import { loadConfig } from '../config/index.js';
import { startBackgroundCompression } from '../features/index.js';
import { apiKeyFor, emptyUsage, resolveProvider, type WireItem } from '../model/index.js';
import { DEFAULT_TIMEOUT_MS, ProcessManager, shellEnvironment } from '../tools/index.js';

export interface UiOptions {
  cwd: string;
  overrides: string[];
  enable: string[];
  disable: string[];
  profile?: string;
  model?: string;
  sandbox?: string;
  approvalPolicy?: string;
  fullAuto?: boolean;
}

/** Everything a session needs besides its history: made once, reused by /new and /resume. */
export interface Workspace {
  codexHome: string;
  newSession(): Promise<Session>;
  resumeSession(id: string): Promise<Session>;
  /** The per-turn dependencies of runTurn, less the sink, signal and approver. */
  turnDeps: Omit<TurnDeps, 'sink' | 'signal' | 'approve'>;
  warnings: string[];
  /** Why no turn can run (no API key), if so. */
  keyError?: string;
}

export function openWorkspace(o: UiOptions): Workspace {
  const cfg = loadConfig({ overrides: o.overrides, enable: o.enable, disable: o.disable, profile: o.profile });
  startBackgroundCompression(cfg);
  const raw = cfg.raw as Record<string, unknown>;
  let approvalPolicy: ApprovalPolicy = o.approvalPolicy ? parseApprovalPolicy(o.approvalPolicy) : raw.approval_policy === undefined ? 'on-request' : parseApprovalPolicy(raw.approval_policy);
  if (o.fullAuto) approvalPolicy = 'on-request';
  const { policy, mode, warnings } = resolveSessionPolicy(
    { raw, file: cfg.file as Record<string, unknown>, codexHome: cfg.codexHome },
    { sandboxMode: o.sandbox, fullAuto: !!o.fullAuto },
    o.cwd,
    process.env,
  );
  const provider = resolveProvider(raw, process.env);
  // A missing key must not keep the picker or the UI from opening: it is reported at the first turn.
  let apiKey: string | undefined;
  let keyError: string | undefined;
  try {
    apiKey = apiKeyFor(provider, process.env);
  } catch (e) {
    keyError = e instanceof Error ? `${e.message}${isCodexError(e) ? ` [${e.code}]` : ''}` : String(e);
  }
  const model = o.model ?? (typeof raw.model === 'string' ? raw.model : 'gpt-5.1-codex');
  const agents = agentsText(cfg.codexHome, policy.cwd, typeof raw.project_doc_max_bytes === 'number' ? raw.project_doc_max_bytes : undefined);
  const base = (threadId: string, writer: Session['writer'], history: WireItem[], instructions: string, hasContext: boolean): Session => ({
    threadId,
    model,
    provider,
    apiKey,
    cwd: policy.cwd,
    policy,
    sandboxMode: mode,
    approvalPolicy,
    baseInstructions: instructions,
    reasoning: reasoningFromConfig(raw),
    history,
    writer,
    totals: emptyUsage(),
    hasContext,
    ...(agents ? { agents } : {}),
    contextWindow: contextWindowOf(raw),
    clientVersion: CODEX_TS_VERSION,
    itemCount: 0,
  });
  const env: NodeJS.ProcessEnv = { ...shellEnvironment(process.env, raw.shell_environment_policy) };
  delete env.CODEX_SANDBOX;
  if (!policy.network) env.CODEX_SANDBOX_NETWORK_DISABLED = '1';
  return {
    codexHome: cfg.codexHome,
    warnings,
    ...(keyError ? { keyError } : {}),
    async newSession() {
      const id = uuidv7();
      const writer = await createSession(cfg.codexHome, { id, cwd: policy.cwd, modelProvider: provider.id, baseInstructions: BASE_INSTRUCTIONS, git: gitInfo(policy.cwd), now: new Date(), source: 'cli' });
      return base(id, writer, [], BASE_INSTRUCTIONS, false);
    },
    async resumeSession(id: string) {
      const { writer, lines } = await openForAppend(cfg.codexHome, id);
      const { history, baseInstructions } = historyFromRollout(lines);
      return base(writer.id, writer, history, baseInstructions ?? BASE_INSTRUCTIONS, history.length > 0);
    },
    turnDeps: {
      prepare: prepareSandboxedCommand,
      selfExe: process.execPath,
      env,
      timeoutMs: DEFAULT_TIMEOUT_MS,
      processes: new ProcessManager(),
    },
  };
}
