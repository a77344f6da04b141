// `[sessions]`: where the per-thread writer locks live and how long a writer waits for a short hold
// (the compressor's commit of the thread). Codex 0.169 ignores this table (tested). The environment
// variables CODEX_TS_THREAD_LOCK_DIR and CODEX_TS_WRITER_LOCK_WAIT_MS, documented in the README,
// override it; this is the one place either is read (rollout/ only takes options).
import * as path from 'node:path';
import { CodexError, ConfigReader } from '../../protocol/index.js';
import type { ConfigTable } from './types.js';

export interface SessionStoreSettings {
  /** The thread lock directory, when not $CODEX_HOME/thread-writer-locks. */
  lockDir?: string;
  /** A writer's bounded wait for a thread lock held for a short step (rollout's `timeoutMs`); rollout's default when unset. */
  timeoutMs?: number;
}

export function sessionStoreSettings(raw: ConfigTable, codexHome: string, env: NodeJS.ProcessEnv, r: ConfigReader = new ConfigReader()): SessionStoreSettings {
  const t = r.table(raw, ['sessions']);
  // No import of rollout here: config is read by `codex sandbox` too, which must not load the store.
  const out: SessionStoreSettings = {};
  const dir = t ? r.string(t, ['sessions', 'thread_lock_dir']) : undefined;
  if (dir !== undefined) {
    if (dir.trim() === '') r.fail(['sessions', 'thread_lock_dir'], 'a non-empty path', dir);
    out.lockDir = path.resolve(codexHome, dir.startsWith('~/') && env.HOME ? path.join(env.HOME, dir.slice(2)) : dir);
  }
  const wait = t ? r.nonNegative(t, ['sessions', 'writer_lock_wait_seconds']) : undefined;
  if (wait !== undefined) out.timeoutMs = Math.round(wait * 1000);
  if (env.CODEX_TS_THREAD_LOCK_DIR) out.lockDir = path.resolve(env.CODEX_TS_THREAD_LOCK_DIR);
  const envWait = env.CODEX_TS_WRITER_LOCK_WAIT_MS;
  if (envWait !== undefined && envWait.trim() !== '') {
    const n = Number(envWait);
    if (!Number.isFinite(n) || n < 0) throw new CodexError('CONFIG_INVALID', `CODEX_TS_WRITER_LOCK_WAIT_MS must be a non-negative number of milliseconds, got ${JSON.stringify(envWait)}`);
    out.timeoutMs = n;
  }
  return out;
}
