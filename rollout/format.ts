import { assertNever } from '../protocol/index.js';

// The rollout line format: `{"timestamp":…,"ordinal":N,"type":<kind>,"payload":{…}}`, one per line.
// Parsed into a tagged union with an `unknown` arm; every record keeps its exact raw text so a
// read–rewrite never changes bytes we did not create (unknown kinds and fields survive).

export type KnownKind = 'session_meta' | 'response_item' | 'event_msg' | 'turn_context' | 'compacted' | 'world_state';

export const KNOWN_KINDS: readonly KnownKind[] = ['session_meta', 'response_item', 'event_msg', 'turn_context', 'compacted', 'world_state'];

export type JsonObject = { [k: string]: unknown };

interface RecordBase {
  /** The exact line text, without the trailing newline. */
  raw: string;
  timestamp: string | undefined;
  ordinal: number | undefined;
  payload: JsonObject;
}

export type RolloutRecord =
  | (RecordBase & { kind: 'session_meta' })
  | (RecordBase & { kind: 'response_item' })
  | (RecordBase & { kind: 'event_msg' })
  | (RecordBase & { kind: 'turn_context' })
  | (RecordBase & { kind: 'compacted' })
  | (RecordBase & { kind: 'world_state' })
  /** A kind this version does not know (e.g. `token_usage_record`): carried through untouched. */
  | (RecordBase & { kind: 'unknown'; type: string | undefined });

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse one line; undefined when it is not a JSON object. */
export function parseRecord(raw: string): RolloutRecord | undefined {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(v)) return undefined;
  const base: RecordBase = {
    raw,
    timestamp: typeof v.timestamp === 'string' ? v.timestamp : undefined,
    ordinal: typeof v.ordinal === 'number' ? v.ordinal : undefined,
    payload: isObject(v.payload) ? v.payload : {},
  };
  const type = typeof v.type === 'string' ? v.type : undefined;
  if (type !== undefined && (KNOWN_KINDS as readonly string[]).includes(type)) return { ...base, kind: type as KnownKind };
  return { ...base, kind: 'unknown', type };
}

/** The text of a line we create: the field order Codex writes (timestamp, ordinal, type, payload). */
export function serializeRecord(r: { timestamp: string; ordinal?: number; type: string; payload: unknown }): string {
  const obj: JsonObject = { timestamp: r.timestamp };
  if (r.ordinal !== undefined) obj.ordinal = r.ordinal;
  obj.type = r.type;
  obj.payload = r.payload;
  return JSON.stringify(obj);
}

/** Codex's timestamp form: UTC with milliseconds, e.g. 2026-11-25T14:25:38.052Z. */
export function rolloutTimestamp(d: Date = new Date()): string {
  return d.toISOString();
}

export interface SessionMeta {
  id: string;
  timestamp: string | undefined;
  cwd: string | undefined;
  originator: string | undefined;
  cliVersion: string | undefined;
  source: string | undefined;
  modelProvider: string | undefined;
}

export function sessionMetaOf(r: RolloutRecord): SessionMeta | undefined {
  if (r.kind !== 'session_meta') return undefined;
  const p = r.payload;
  // Some versions nest the meta under `meta` (with `git` beside it).
  const m = isObject(p.meta) ? p.meta : p;
  if (typeof m.id !== 'string') return undefined;
  return {
    id: m.id,
    timestamp: str(m.timestamp),
    cwd: str(m.cwd),
    originator: str(m.originator),
    cliVersion: str(m.cli_version),
    source: sourceName(m.source),
    modelProvider: str(m.model_provider),
  };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `source` is a string (`exec`, `cli`, `vscode`) or an object for sub-agents (`{"subagent":…}`). */
function sourceName(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isObject(v)) return Object.keys(v)[0];
  return undefined;
}

export type MessageRole = 'user' | 'assistant';

export interface MessageText {
  role: MessageRole;
  text: string;
  /** Text the harness injected (environment context, AGENTS.md, …), not typed by the user. */
  injected: boolean;
}

const INJECTED_PREFIXES = ['<environment_context>', '<user_instructions>', '# AGENTS.md', '<skills_instructions>', '<permissions instructions>', '<turn_aborted>', '<subagent_notification>'];

/**
 * The conversational text of a record: `response_item` messages of role user/assistant, and the
 * `user_message` / `agent_message` events of older rollouts that lack response items for them.
 */
export function messageTextOf(r: RolloutRecord): MessageText | undefined {
  switch (r.kind) {
    case 'response_item': {
      const p = r.payload;
      if (p.type !== 'message' || (p.role !== 'user' && p.role !== 'assistant') || !Array.isArray(p.content)) return undefined;
      const parts: string[] = [];
      for (const c of p.content) if (isObject(c) && typeof c.text === 'string') parts.push(c.text);
      if (!parts.length) return undefined;
      const text = parts.join('\n');
      return { role: p.role, text, injected: isInjected(text) };
    }
    case 'event_msg': {
      const p = r.payload;
      if ((p.type === 'user_message' || p.type === 'agent_message') && typeof p.message === 'string') {
        return { role: p.type === 'user_message' ? 'user' : 'assistant', text: p.message, injected: isInjected(p.message) };
      }
      return undefined;
    }
    case 'session_meta':
    case 'turn_context':
    case 'compacted':
    case 'world_state':
    case 'unknown':
      return undefined;
    default:
      return assertNever(r, 'record kind');
  }
}

function isInjected(text: string): boolean {
  const t = text.trimStart();
  return INJECTED_PREFIXES.some((p) => t.startsWith(p));
}
