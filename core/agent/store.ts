// The session store as the agent needs it, on top of rollout/: create a rollout, reopen one for
// append (thread writer lock held, `.zst` materialized first), read its records.
import { readAllRecords, resolveSession, RolloutRecorder, scopeEntries, type WaitOptions } from '../../rollout/index.js';
import { CodexError } from '../../protocol/index.js';

export interface SessionWriter {
  readonly id: string;
  readonly path: string;
  append(type: string, payload: unknown, at?: Date): void;
  flush(): void;
  close(): void;
}

export interface RolloutLine {
  type: string;
  payload: Record<string, unknown>;
}

export interface NewSession {
  id: string;
  cwd: string;
  modelProvider: string;
  baseInstructions: string;
  cliVersion?: string;
  /** session_meta.git: HEAD's commit and branch, the origin URL. */
  git?: { commit_hash?: string; branch?: string; repository_url?: string };
  now: Date;
  /** session_meta.source / originator: 'exec' (default) or the interactive UI's 'cli'. */
  source?: 'exec' | 'cli';
  /** The thread lock directory and the writers' wait (config `[sessions]`). */
  lock?: WaitOptions;
}

export async function createSession(home: string, o: NewSession): Promise<SessionWriter> {
  return RolloutRecorder.create(home, {
    id: o.id,
    cwd: o.cwd,
    source: o.source ?? 'exec',
    originator: o.source === 'cli' ? 'codex_cli_rs' : 'codex_exec',
    modelProvider: o.modelProvider,
    baseInstructions: o.baseInstructions,
    extraMeta: { git: o.git ?? {} },
    now: o.now,
    ...(o.lock ? { lock: o.lock } : {}),
    ...(o.cliVersion ? { cliVersion: o.cliVersion } : {}),
  });
}

/** The rollout of `ID|NAME` (SESSION_NOT_FOUND / SESSION_AMBIGUOUS otherwise). */
export function findSessionId(home: string, idOrName: string): string {
  return resolveSession(home, idOrName).entry.id;
}

/** The newest active session's id. */
export function lastSessionId(home: string): string {
  for (const e of scopeEntries(home, 'active')) return e.id;
  throw new CodexError('SESSION_NOT_FOUND', `no recorded session to resume in ${home}/sessions`);
}

/** Lock and reopen a thread for append, and read what it holds so far. */
export async function openForAppend(home: string, id: string, lock?: WaitOptions): Promise<{ writer: SessionWriter; lines: RolloutLine[] }> {
  const writer = await RolloutRecorder.resume(home, id, lock ? { lock } : {});
  try {
    const { records } = await readAllRecords(writer.path);
    const lines = records.map((r) => ({ type: r.kind === 'unknown' ? (r.type ?? 'unknown') : r.kind, payload: r.payload }));
    return { writer, lines };
  } catch (e) {
    writer.close();
    throw e;
  }
}
