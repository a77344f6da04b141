// `[sessions]`: where the per-thread writer locks live and how long a writer waits for a short hold
// (the compressor's commit of the thread). Codex 0.169 ignores this table (tested). The environment
// variables CODEX_TS_THREAD_LOCK_DIR and CODEX_TS_WRITER_LOCK_WAIT_MS, documented in the README,
// override it; this is the one place either is read (rollout/ only takes options).
import * as path from 'node:path';
import { CodexError } from '../../protocol/index.js';
import { DEFAULT_WRITER_WAIT_MS } from '../../rollout/index.js';
import { isTable } from './overrides.js';
import type { ConfigTable } from './types.js';

export interface SessionStoreSettings {
  /** The thread lock directory, when not $CODEX_HOME/thread-writer-locks. */
  lockDir?: string;
  /** A writer's bounded wait for a thread lock held for a short step (rollout's `timeoutMs`). */
  timeoutMs: number;
}

export function sessionStoreSettings(raw: ConfigTable, codexHome: string, env: NodeJS.ProcessEnv): SessionStoreSettings {
  const t = raw.sessions;
  if (t !== undefined && !isTable(t)) throw new CodexError('CONFIG_INVALID', '`sessions` must be a table');
  const out: SessionStoreSettings = { timeoutMs: DEFAULT_WRITER_WAIT_MS };
  const dir = t?.thread_lock_dir;
  if (dir !== undefined) {
    if (typeof dir !== 'string' || dir.trim() === '') throw new CodexError('CONFIG_INVALID', `sessions.thread_lock_dir must be a non-empty path, got ${JSON.stringify(String(dir))}`);
    out.lockDir = path.resolve(codexHome, dir.startsWith('~/') && env.HOME ? path.join(env.HOME, dir.slice(2)) : dir);
  }
  const wait = t?.writer_lock_wait_seconds;
  if (wait !== undefined) {
    const n = typeof wait === 'bigint' ? Number(wait) : wait;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
      throw new CodexError('CONFIG_INVALID', `sessions.writer_lock_wait_seconds must be a non-negative number, got ${JSON.stringify(String(wait))}`);
    }
    out.timeoutMs = Math.round(n * 1000);
  }
  if (env.CODEX_TS_THREAD_LOCK_DIR) out.lockDir = path.resolve(env.CODEX_TS_THREAD_LOCK_DIR);
  const envWait = env.CODEX_TS_WRITER_LOCK_WAIT_MS;
  if (envWait !== undefined && envWait.trim() !== '') {
    const n = Number(envWait);
    if (!Number.isFinite(n) || n < 0) throw new CodexError('CONFIG_INVALID', `CODEX_TS_WRITER_LOCK_WAIT_MS must be a non-negative number of milliseconds, got ${JSON.stringify(envWait)}`);
    out.timeoutMs = n;
  }
  return out;
}
