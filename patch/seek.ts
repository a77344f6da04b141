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

/** Exact pass: jump between occurrences of the first line with indexOf (fast on big files). */
function exactScan(src: SourceText, pattern: readonly string[], from: number, last: number): number | undefined {
  const first = pattern[0];
  const m = pattern.length;
  if (first.length === 0) {
    return scan(from, last, m, (i, k) => src.equals(i, pattern[k]));
  }
  const text = src.text;
  const { start } = src;
  let pos = start[from];
  const limit = start[last];
  let line = from;
  while (pos <= limit) {
    const at = text.indexOf(first, pos);
    if (at === -1 || at > limit) return undefined;
    // The line holding `at`: binary search in the line starts (only lines up to `last` matter).
    let lo = line;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (start[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    line = lo;
    if (start[line] === at) {
      let ok = true;
      for (let k = 0; k < m; k++) {
        if (!src.equals(line + k, pattern[k])) {
          ok = false;
          break;
        }
      }
      if (ok) return line;
    }
    if (line >= last) return undefined;
    pos = start[line + 1];
    line++;
  }
  return undefined;
}
