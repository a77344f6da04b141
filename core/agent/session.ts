// A session (thread): its settings, its model-visible history, its rollout writer.
import { CODEX_TS_VERSION } from '../../protocol/index.js';
import type { EffectivePolicy, SandboxMode } from '../../sandbox/index.js';
import type { SessionConfig } from '../config/index.js';
import { emptyUsage, type ProviderInfo, type Usage, type WireItem } from '../model/index.js';
import type { ApprovalPolicy } from './approval.js';
import { agentsText } from './project.js';
import type { RolloutLine, SessionWriter } from './store.js';

export interface Session {
  threadId: string;
  model: string;
  provider: ProviderInfo;
  apiKey?: string;
  cwd: string;
  policy: EffectivePolicy;
  sandboxMode: SandboxMode;
  approvalPolicy: ApprovalPolicy;
  baseInstructions: string;
  /** The request's `reasoning` field (`model_reasoning_effort` / `model_reasoning_summary`). */
  reasoning: { effort?: string; summary?: string };
  /** Input items sent to the model on every request (developer/user messages, calls, outputs). */
  history: WireItem[];
  writer: SessionWriter;
  totals: Usage;
  /** Whether the first-turn context (permissions + environment) is already in history. */
  hasContext: boolean;
  /** AGENTS.md text for the model ($CODEX_HOME's, then the project's), if any. */
  agents?: string;
  /** The usable context window reported in token_count (tokens). */
  contextWindow: number;
  /** This program's version, for the user-agent header. */
  clientVersion: string;
}

const HISTORY_TYPES = new Set(['message', 'function_call', 'function_call_output', 'custom_tool_call', 'custom_tool_call_output', 'reasoning', 'local_shell_call']);

/** History from a rollout: its response_items, wire fields only (rollout-only fields dropped). */
export function historyFromRollout(lines: RolloutLine[]): { history: WireItem[]; baseInstructions?: string } {
  const history: WireItem[] = [];
  let baseInstructions: string | undefined;
  for (const l of lines) {
    if (l.type === 'session_meta') {
      const bi = l.payload.base_instructions as { text?: unknown } | undefined;
      if (bi && typeof bi.text === 'string') baseInstructions = bi.text;
    }
    if (l.type === 'compacted') {
      // A compaction replaces what came before with its summary.
      const rh = l.payload.replacement_history;
      if (Array.isArray(rh)) {
        history.length = 0;
        for (const it of rh) if (isWire(it)) history.push(toWire(it));
      }
    }
    if (l.type !== 'response_item' || !isWire(l.payload)) continue;
    if (!HISTORY_TYPES.has(l.payload.type)) continue;
    history.push(toWire(l.payload));
  }
  return { history, baseInstructions };
}

function isWire(v: unknown): v is WireItem {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

function toWire(p: WireItem): WireItem {
  const { internal_chat_message_metadata_passthrough: _a, metadata: _b, ...rest } = p as WireItem & { internal_chat_message_metadata_passthrough?: unknown; metadata?: unknown };
  return rest as WireItem;
}

/**
 * The context window a session works with: `model_context_window` (else 272 000 tokens), less the
 * 5% 0.169 keeps in reserve.
 */
export function contextWindowOf(config: Pick<SessionConfig, 'modelContextWindow'>): number {
  return Math.floor(((config.modelContextWindow ?? 272_000) * 95) / 100);
}

/** What every session of one run shares: the typed config and the choices resolved from it and the flags. */
export interface SessionSetup {
  config: SessionConfig;
  provider: ProviderInfo;
  apiKey?: string;
  policy: EffectivePolicy;
  sandboxMode: SandboxMode;
  approvalPolicy: ApprovalPolicy;
}

/** A new or resumed thread: its rollout writer and the history it starts from. */
export interface ThreadStart {
  threadId: string;
  writer: SessionWriter;
  history: WireItem[];
  baseInstructions: string;
  /** Whether the first-turn context is already in `history` (a resumed thread). */
  hasContext: boolean;
}

/**
 * The one place a Session is assembled, for `codex exec` and the interactive UI alike. Reads
 * AGENTS.md ($CODEX_HOME's, then the project's) for the session's cwd.
 */
export function buildSession(s: SessionSetup, t: ThreadStart): Session {
  const agents = agentsText(s.config.codexHome, s.policy.cwd, s.config.projectDocMaxBytes);
  return {
    threadId: t.threadId,
    model: s.config.model,
    provider: s.provider,
    ...(s.apiKey !== undefined ? { apiKey: s.apiKey } : {}),
    cwd: s.policy.cwd,
    policy: s.policy,
    sandboxMode: s.sandboxMode,
    approvalPolicy: s.approvalPolicy,
    baseInstructions: t.baseInstructions,
    reasoning: { ...s.config.reasoning },
    history: t.history,
    writer: t.writer,
    totals: emptyUsage(),
    hasContext: t.hasContext,
    ...(agents ? { agents } : {}),
    contextWindow: contextWindowOf(s.config),
    clientVersion: CODEX_TS_VERSION,
  };
}
