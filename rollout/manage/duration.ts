// `--older-than` values for prune: a positive integer and a unit, optionally chained (`1w2d`, `36h`).
import { CodexError, EXIT } from '../../protocol/index.js';

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  mo: 30 * 86_400_000,
  y: 365 * 86_400_000,
};

/** Parse `30d`, `12h`, `2w`, `90m`, `1w2d`, … into milliseconds; throws BAD_DURATION otherwise. */
export function parseDuration(text: string): number {
  const s = text.trim().toLowerCase();
  const bad = (why: string) =>
    new CodexError('BAD_DURATION', `bad duration '${text}': ${why} (use e.g. 30d, 12h, 2w, 90m, 1y; units s m h d w mo y)`, {
      exitCode: EXIT.USAGE,
    });
  if (s === '') throw bad('empty');
  const re = /(\d+)(mo|min|s|m|h|d|w|y)/y;
  let total = 0;
  let i = 0;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) throw bad(/^\d+$/.test(s.slice(i)) ? 'missing unit' : 'not a number followed by a unit');
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    i = re.lastIndex;
  }
  if (!Number.isSafeInteger(total)) throw bad('too large');
  if (total <= 0) throw bad('must be greater than zero');
  return total;
}

/** A duration in the largest whole unit that fits, for messages (`30d`, `36h`). */
export function formatDuration(ms: number): string {
  for (const [u, f] of [['w', UNIT_MS.w!], ['d', UNIT_MS.d!], ['h', UNIT_MS.h!], ['m', UNIT_MS.m!]] as const) {
    if (ms >= f && ms % f === 0) return `${ms / f}${u}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
