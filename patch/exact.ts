// The exact matching pass without a line index, over a file's text or, for an unchanged ASCII file,
// its bytes (offsets are the same in both, so the text is never decoded). Terminators are those of
// SourceText: LF, CRLF and a lone CR.

/** The file being searched, as text or as ASCII bytes. */
export interface Hay {
  readonly n: number;
  /** Char code (byte) at i; NaN/undefined past the end never equals a terminator. */
  at(i: number): number | undefined;
  /** indexOf of `s`; for bytes, `s` must be ASCII (callers check). */
  find(s: string, from: number): number;
  /** Whether the text at `at` starts with `s`. */
  has(s: string, at: number): boolean;
  /** Bytes: no exact match is possible for a pattern with other characters. */
  readonly ascii: boolean;
}

export function hayOfText(text: string): Hay {
  return {
    n: text.length,
    at: (i) => text.charCodeAt(i),
    find: (s, from) => text.indexOf(s, from),
    has: (s, at) => text.startsWith(s, at),
    ascii: false,
  };
}

export function hayOfBytes(raw: Buffer): Hay {
  return {
    n: raw.length,
    at: (i) => raw[i],
    find: (s, from) => raw.indexOf(s, from, 'latin1'),
    has: (s, at) => {
      const len = s.length;
      if (at + len > raw.length) return false;
      for (let i = 0; i < len; i++) if (raw[at + i] !== s.charCodeAt(i)) return false;
      return true;
    },
    ascii: true,
  };
}

export const isBreak = (c: number | undefined) => c === 10 || c === 13;

const ASCII = /^[\x00-\x7f]*$/;

/** The file's first terminator (what inserted lines get), LF when there is none; `firstCr` is the first CR's offset or -1. */
export function firstEol(h: Hay, firstCr: number): string {
  const nl = h.find('\n', 0);
  if (firstCr !== -1 && (nl === -1 || firstCr < nl)) return h.at(firstCr + 1) === 10 ? '\r\n' : '\r';
  return '\n';
}

/**
 * The exact pass as one native search: `block` is the pattern's lines joined by the file's first
 * terminator, found at a line start and ending at a terminator (or the end). When the file may mix
 * terminators (`uniform` false), a match whose lines end differently would be missed, so the
 * line-by-line search still checks the text before the block's first hit.
 */
export function blockFind(h: Hay, block: string, pattern: readonly string[], from: number, eol: string, uniform: boolean): number[] | undefined {
  if (h.ascii && !ASCII.test(block)) return undefined;
  const n = h.n;
  let hit = -1;
  for (let p = h.find(block, from); p !== -1; p = h.find(block, p + 1)) {
    if (p > from && !isBreak(h.at(p - 1))) continue;
    const e = p + block.length;
    if (e < n && !isBreak(h.at(e))) continue;
    hit = p;
    break;
  }
  if (!uniform) {
    const earlier = lineFind(h, pattern, from, hit === -1 ? n + 1 : hit);
    if (earlier) return earlier;
  }
  if (hit === -1) return undefined;
  // The block's lines are joined by `eol`: each starts one terminator after the previous one's end.
  const starts: number[] = [];
  let s = hit;
  let e = hit;
  for (const l of pattern) {
    starts.push(s);
    e = s + l.length;
    s = e + eol.length;
  }
  starts.push(e >= n ? n : h.at(e) === 13 && h.at(e + 1) === 10 ? e + 2 : e + 1);
  return starts;
}

/**
 * The exact pass line by line, for starts before `limit`: the first line is found with indexOf,
 * then every line is checked in place to be a whole line (starting after a terminator, ending at
 * one) equal to the pattern's. Line starts of the match plus the position after it, or undefined.
 */
function lineFind(h: Hay, pattern: readonly string[], from: number, limit: number): number[] | undefined {
  const first = pattern[0];
  if (first === undefined) return [from];
  if (h.ascii && !ASCII.test(first)) return undefined;
  const n = h.n;
  const m = pattern.length;
  for (let p = h.find(first, from); p !== -1 && p < limit; p = h.find(first, p + 1)) {
    if (p > from && !isBreak(h.at(p - 1))) continue;
    const starts = [p];
    let s = p;
    for (const l of pattern) {
      // The first line was found by find(); each later one must start where the previous ended.
      if (starts.length > 1 && (s >= n || !h.has(l, s))) break;
      const e = s + l.length;
      if (e >= n) s = n;
      else {
        const c = h.at(e);
        if (c === 10) s = e + 1;
        else if (c === 13) s = h.at(e + 1) === 10 ? e + 2 : e + 1;
        else break;
      }
      starts.push(s);
    }
    if (starts.length === m + 1) return starts;
  }
  return undefined;
}
