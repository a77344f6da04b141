// Diagnostics for a chunk that did not match: which of its lines was the first one missing, and
// the file lines closest to it (with 1-based line numbers), so the author can fix it in one try.
import { seekSequence } from './seek.js';
import { normalisePunctuation, type SourceText } from './text.js';

const SHOW = 80;
const MAX_SCAN_CHARS = 32 * 1024 * 1024;

function q(s: string): string {
  return JSON.stringify(s.length > SHOW ? s.slice(0, SHOW) + '…' : s);
}

export function nearestLines(src: SourceText, pattern: readonly string[], cursor: number, eof: boolean): string {
  const m = pattern.length;
  if (eof) {
    const at = seekSequence(src, pattern, cursor, false);
    if (at !== undefined) return `the lines are at line ${at + 1}, not at the end of the file (the chunk ends with *** End of File)`;
  }
  // Longest prefix of the pattern that still matches (prefix matching is monotone: binary search).
  let lo = 0;
  let hi = m - 1;
  let foundAt = -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const at = seekSequence(src, pattern.slice(0, mid), cursor, false);
    if (at !== undefined) {
      lo = mid;
      foundAt = at;
    } else hi = mid - 1;
  }
  if (lo > 0 && foundAt >= 0) {
    const at = seekSequence(src, pattern.slice(0, lo), cursor, false) ?? foundAt;
    const bad = at + lo;
    const actual = bad < src.count ? `line ${bad + 1} is ${q(src.line(bad))}` : 'the file ends there';
    return `the first ${lo} line(s) match at line ${at + 1}, but then ${actual} where the patch expects ${q(pattern[lo] ?? '')}`;
  }
  const missing = pattern[0];
  if (missing === undefined) return 'the chunk has no lines to find';
  const near = closest(src, missing, cursor);
  const after = cursor > 0 ? ` after line ${cursor}` : '';
  const tail = near.length ? `; nearest: ${near.map((i) => `line ${i + 1} ${q(src.line(i))}`).join(', ')}` : '; no similar line in the file';
  return `line ${q(missing)} not found${after}${tail}`;
}

/** Up to three lines most similar to `target` (common prefix + suffix after folding), best first. */
function closest(src: SourceText, target: string, cursor: number): number[] {
  const t = normalisePunctuation(target);
  if (t.length === 0) return [];
  const best: { i: number; s: number }[] = [];
  let scanned = 0;
  // Lines at or after the cursor first (where the chunk may apply), then the rest.
  const order: [number, number][] = [
    [cursor, src.count],
    [0, cursor],
  ];
  for (const [a, b] of order) {
    for (let i = a; i < b && scanned < MAX_SCAN_CHARS; i++) {
      const len = src.lineLength(i);
      scanned += len;
      if (len === 0 || len > t.length * 2 + 8 || len * 2 + 8 < t.length) continue;
      const l = normalisePunctuation(src.line(i));
      const s = similarity(t, l);
      if (s < 0.5) continue;
      best.push({ i, s });
      best.sort((x, y) => y.s - x.s || x.i - y.i);
      if (best.length > 3) best.pop();
    }
  }
  return best.map((b) => b.i);
}

function similarity(a: string, b: string): number {
  const max = Math.max(a.length, b.length);
  if (max === 0) return 1;
  const min = Math.min(a.length, b.length);
  let p = 0;
  while (p < min && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let s = 0;
  while (s < min - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return (p + s) / max;
}
