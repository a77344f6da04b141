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

  const hit1 = scan(from, last, pattern.map(rustTrimEnd), (i, s) => src.equalsTrimEnd(i, s));
  if (hit1 !== undefined) return hit1;

  const hit2 = scan(from, last, pattern.map(rustTrim), (i, s) => src.equalsTrim(i, s));
  if (hit2 !== undefined) return hit2;

  return scan(from, last, pattern.map(normalisePunctuation), (i, s) => src.equalsNormalised(i, s));
}

/** The first line i in [from, last] where line i + k matches `lines[k]` for every k. */
function scan(from: number, last: number, lines: readonly string[], eq: (line: number, s: string) => boolean): number | undefined {
  outer: for (let i = from; i <= last; i++) {
    let line = i;
    for (const s of lines) if (!eq(line++, s)) continue outer;
    return i;
  }
  return undefined;
}

/** Exact pass over the line index: a length and first-character check rejects almost every line cheaply. */
function exactScan(src: SourceText, pattern: readonly string[], from: number, last: number): number | undefined {
  const [first, ...rest] = pattern;
  if (first === undefined) return from;
  const len = first.length;
  const c0 = len > 0 ? first.charCodeAt(0) : -1;
  const { start, end, text } = src;
  // `last` is at most count - m, so start[i] and end[i] exist; the checks only narrow the type.
  outer: for (let i = from; i <= last; i++) {
    const a = start[i];
    const e = end[i];
    if (a === undefined || e === undefined || e - a !== len) continue;
    if (len > 0 && (text.charCodeAt(a) !== c0 || !text.startsWith(first, a))) continue;
    let line = i + 1;
    for (const s of rest) if (!src.equals(line++, s)) continue outer;
    return i;
  }
  return undefined;
}
