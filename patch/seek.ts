// Find a block of lines in an indexed file, from a cursor, with the reference's four passes:
// exact, trailing whitespace ignored, surrounding whitespace ignored, punctuation folded.
// Each pass compares against the file's line index in place; nothing is rebuilt per probe.
import { normalisePunctuation, rustTrim, rustTrimEnd, type SourceText } from './text.js';

export function seekSequence(src: SourceText, pattern: readonly string[], start: number, eof: boolean): number | undefined {
  const m = pattern.length;
  if (m === 0) return start;
  const n = src.count;
  if (m > n) return undefined;
  // End of File: only the last m lines qualify, and only if they are not before the cursor.
  const from = eof ? n - m : start;
  const last = n - m;
  if (from > last || from < start) return undefined;

  const exact = exactScan(src, pattern, from, last);
  if (exact !== undefined) return exact;

  const r = pattern.map(rustTrimEnd);
  const hit1 = scan(from, last, m, (i, k) => src.equalsTrimEnd(i, r[k]));
  if (hit1 !== undefined) return hit1;

  const t = pattern.map(rustTrim);
  const hit2 = scan(from, last, m, (i, k) => src.equalsTrim(i, t[k]));
  if (hit2 !== undefined) return hit2;

  const p = pattern.map(normalisePunctuation);
  return scan(from, last, m, (i, k) => src.equalsNormalised(i, p[k]));
}

function scan(from: number, last: number, m: number, eq: (line: number, k: number) => boolean): number | undefined {
  outer: for (let i = from; i <= last; i++) {
    for (let k = 0; k < m; k++) if (!eq(i + k, k)) continue outer;
    return i;
  }
  return undefined;
}

/** Exact pass over the line index: a length and first-character check rejects almost every line cheaply. */
function exactScan(src: SourceText, pattern: readonly string[], from: number, last: number): number | undefined {
  const first = pattern[0];
  const len = first.length;
  const c0 = len > 0 ? first.charCodeAt(0) : -1;
  const m = pattern.length;
  const { start, end, text } = src;
  for (let i = from; i <= last; i++) {
    const a = start[i];
    if (end[i] - a !== len) continue;
    if (len > 0 && (text.charCodeAt(a) !== c0 || !text.startsWith(first, a))) continue;
    let ok = true;
    for (let k = 1; k < m; k++) {
      if (!src.equals(i + k, pattern[k])) {
        ok = false;
        break;
      }
    }
    if (ok) return i;
  }
  return undefined;
}
