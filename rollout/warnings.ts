// Per-file problems a reader reports instead of failing: one bad file never aborts a listing or search.
import type { ErrorCode } from '../protocol/index.js';

export type WarningCode = Extract<
  ErrorCode,
  'ROLLOUT_CORRUPT' | 'ROLLOUT_ZSTD_CORRUPT' | 'ROLLOUT_TRUNCATED' | 'ROLLOUT_TORN_LINE' | 'ROLLOUT_UNREADABLE' | 'ROLLOUT_NOT_A_FILE' | 'ROLLOUT_EMPTY' | 'ROLLOUT_NOT_A_ROLLOUT'
>;

export interface StoreWarning {
  path: string;
  code: WarningCode;
  message: string;
}

export type WarningSink = (w: StoreWarning) => void;

/**
 * A store warning as the one line printed on stderr: `warning: path: message [CODE]` (the code
 * stays a field of the warning; only this rendering puts it in text).
 *
 * @example
 *   formatWarning({ path: '/s/a.jsonl', code: 'ROLLOUT_TRUNCATED', message: 'last line incomplete' });
 *   // 'warning: /s/a.jsonl: last line incomplete [ROLLOUT_TRUNCATED]'
 */
export function formatWarning(w: StoreWarning): string {
  return `warning: ${w.path}: ${w.message} [${w.code}]`;
}
