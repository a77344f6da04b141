// `[rollout_compression]`: knobs of the compression worker (the on/off switch is the feature flag).
import { ConfigReader, type OriginOf } from '../../protocol/index.js';
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

export function compressionSettings(raw: ConfigTable, originOf: OriginOf = () => undefined): CompressionSettings {
  const r = new ConfigReader(originOf);
  const t = r.table(raw, ['rollout_compression']);
  if (t === undefined) return { ...DEFAULT_COMPRESSION };
  const num = (key: string, scale: number, dflt: number): number => {
    const n = r.nonNegative(t, ['rollout_compression', key]);
    return n === undefined ? dflt : n * scale;
  };
  return {
    minAgeMs: num('min_age_days', 86_400_000, DEFAULT_COMPRESSION.minAgeMs),
    timeCapMs: num('max_run_seconds', 1000, DEFAULT_COMPRESSION.timeCapMs),
    heartbeatMs: num('heartbeat_seconds', 1000, DEFAULT_COMPRESSION.heartbeatMs),
    staleMs: num('stale_lock_seconds', 1000, DEFAULT_COMPRESSION.staleMs),
  };
}
