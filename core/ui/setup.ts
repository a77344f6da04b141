// What the interactive session runs on: the same config, policy, provider, session and rollout
// functions `codex exec` uses (core/agent), assembled once per UI session.
import { isCodexError } from '../../protocol/index.js';
import {
  BASE_INSTRUCTIONS,
  buildSession,
  createSession,
  gitInfo,
  historyFromRollout,
  openForAppend,
  parseApprovalPolicy,
  prepareSandboxedCommand,
  resolveSessionPolicy,
  type ApprovalPolicy,
  type Session,
  type TurnDeps,
} from '../agent/index.js';
import { uuidv7 } from '../../rollout/index.js';
import { DeferredWriter } from './deferred-writer.js';
import { loadConfig } from '../config/index.js';
import { startBackgroundCompression } from '../features/index.js';
import { apiKeyFor, resolveProvider } from '../model/index.js';
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
  const cfg = loadConfig({ overrides: o.overrides, enable: o.enable, disable: o.disable, profile: o.profile, ...(o.model !== undefined ? { model: o.model } : {}) });
  startBackgroundCompression(cfg);
  let approvalPolicy: ApprovalPolicy = parseApprovalPolicy(o.approvalPolicy ?? cfg.approvalPolicy ?? 'on-request');
  if (o.fullAuto) approvalPolicy = 'on-request';
  const { policy, mode, warnings } = resolveSessionPolicy(cfg, { sandboxMode: o.sandbox, fullAuto: !!o.fullAuto }, o.cwd, process.env);
  const provider = resolveProvider(cfg.provider, process.env);
  // A missing key must not keep the picker or the UI from opening: it is reported at the first turn.
  let apiKey: string | undefined;
  let keyError: string | undefined;
  try {
    apiKey = apiKeyFor(provider, process.env);
  } catch (e) {
    keyError = e instanceof Error ? `${e.message}${isCodexError(e) ? ` [${e.code}]` : ''}` : String(e);
  }
  const setup = { config: cfg, provider, ...(apiKey !== undefined ? { apiKey } : {}), policy, sandboxMode: mode, approvalPolicy };
  const env: NodeJS.ProcessEnv = { ...shellEnvironment(process.env, cfg.shellEnvironmentPolicy) };
  delete env.CODEX_SANDBOX;
  if (!policy.network) env.CODEX_SANDBOX_NETWORK_DISABLED = '1';
  return {
    codexHome: cfg.codexHome,
    warnings: [...cfg.warnings, ...warnings],
    ...(keyError ? { keyError } : {}),
    async newSession() {
      const id = uuidv7();
      const now = new Date();
      const git = gitInfo(policy.cwd);
      const writer = new DeferredWriter(id, () => createSession(cfg.codexHome, { id, cwd: policy.cwd, modelProvider: provider.id, baseInstructions: BASE_INSTRUCTIONS, git, now, source: 'cli', lock: cfg.sessions }));
      return buildSession(setup, { threadId: id, writer, history: [], baseInstructions: BASE_INSTRUCTIONS, hasContext: false });
    },
    async resumeSession(id: string) {
      const { writer, lines } = await openForAppend(cfg.codexHome, id, cfg.sessions);
      const { history, baseInstructions } = historyFromRollout(lines);
      return buildSession(setup, { threadId: writer.id, writer, history, baseInstructions: baseInstructions ?? BASE_INSTRUCTIONS, hasContext: history.length > 0 });
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
