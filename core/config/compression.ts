// `[rollout_compression]`: knobs of the compression worker (the on/off switch is the feature flag).
import { CodexError } from '../../protocol/index.js';
import { isTable } from './overrides.js';
import type { ConfigTable } from './types.js';

export interface CompressionSettings {
  /** Only archived rollouts whose mtime is at least this old are compressed. */
  minAgeMs: number;
  /** A run stops starting new files after this long. */
  timeCapMs: number;
  /** Store lock heartbeat period and staleness limit. */
  heartbeatMs: number;
  staleMs: number;
}

export const DEFAULT_COMPRESSION: CompressionSettings = {
  minAgeMs: 7 * 86_400_000,
  timeCapMs: 10 * 60_000,
  heartbeatMs: 60_000,
  staleMs: 5 * 60_000,
};

export function compressionSettings(raw: ConfigTable): CompressionSettings {
  const t = raw.rollout_compression;
  if (t === undefined) return { ...DEFAULT_COMPRESSION };
  if (!isTable(t)) throw new CodexError('CONFIG_INVALID', '`rollout_compression` must be a table');
  const num = (key: string, scale: number, dflt: number): number => {
    const v = t[key];
    if (v === undefined) return dflt;
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
      throw new CodexError('CONFIG_INVALID', `rollout_compression.${key} must be a non-negative number, got ${JSON.stringify(String(v))}`);
    }
    return n * scale;
  };
  return {
    minAgeMs: num('min_age_days', 86_400_000, DEFAULT_COMPRESSION.minAgeMs),
    timeCapMs: num('max_run_seconds', 1000, DEFAULT_COMPRESSION.timeCapMs),
    heartbeatMs: num('heartbeat_seconds', 1000, DEFAULT_COMPRESSION.heartbeatMs),
    staleMs: num('stale_lock_seconds', 1000, DEFAULT_COMPRESSION.staleMs),
  };
}
