// Case-insensitive matching of a query against the message text of a decoded rollout. A fast
// pass finds candidate positions in the raw JSON (latin1 view when the query is ASCII, so no UTF-8
// decode of the whole file); only the lines around candidates are parsed and checked for real.
import { messageTextOf, type MessageRole } from './format.js';
import { recordsOfLine } from './lines.js';

export const SNIPPET_BEFORE = 48;
export const SNIPPET_AFTER = 96;

export interface Needle {
  query: string;
  /** Finds candidates in raw JSON text (the query as JSON would escape it). */
  raw: RegExp;
  /** Confirms a match in decoded message text. */
  text: RegExp;
  ascii: boolean;
  /**
   * A cheap necessary condition, like ripgrep's literal prefilter: all case variants of the part of
   * the query with the fewest letters (e.g. `-7d1` of `kumquat-7d1e`: 2 variants), else of its
   * rarest letter pair (`mq` of `kumquat`: 4 variants). A file containing none of them cannot
   * match, and is skipped without decoding it to a string.
   */
  anchors: Buffer[] | undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function compileNeedle(query: string): Needle {
  const ascii = /^[\x00-\x7f]*$/.test(query);
  const jsonForm = JSON.stringify(query).slice(1, -1);
  return {
    query,
    raw: new RegExp(escapeRe(jsonForm), ascii ? 'gi' : 'giu'),
    text: new RegExp(escapeRe(query), ascii ? 'i' : 'iu'),
    ascii,
    anchors: ascii ? anchorsOf(jsonForm) : undefined,
  };
}

const isLetter = (c: string) => c.toLowerCase() !== c.toUpperCase();

// English letter frequencies (%): a pair of rare letters (e.g. `mq` in `kumquat`) is absent from
// most files, which a byte scan for its 4 case variants shows faster than decoding the file. Even a
// common pair costs little: where it occurs, the scan stops at its first occurrence.
const FREQ: Record<string, number> = {
  a: 8.2, b: 1.5, c: 2.8, d: 4.3, e: 12.7, f: 2.2, g: 2.0, h: 6.1, i: 7.0, j: 0.15, k: 0.77, l: 4.0, m: 2.4,
  n: 6.7, o: 7.5, p: 1.9, q: 0.1, r: 6.0, s: 6.3, t: 9.1, u: 2.8, v: 0.98, w: 2.4, x: 0.15, y: 2.0, z: 0.07,
};
function rarestPair(raw: string): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (let i = 0; i + 2 <= raw.length; i++) {
    const a = FREQ[raw[i]!.toLowerCase()];
    const b = FREQ[raw[i + 1]!.toLowerCase()];
    if (a === undefined || b === undefined) continue;
    if (a * b < bestScore) {
      bestScore = a * b;
      best = raw.slice(i, i + 2);
    }
  }
  return best;
}

/** Case variants of the best window (≥ 3 chars, ≤ 2 letters, longest), else of the rarest letter pair; undefined when neither exists. */
function anchorsOf(raw: string): Buffer[] | undefined {
  let best: string | undefined;
  let bestLetters = 3;
  for (let len = Math.min(8, raw.length); len >= 3; len--) {
    for (let i = 0; i + len <= raw.length; i++) {
      const w = raw.slice(i, i + len);
      const letters = [...w].filter(isLetter).length;
      if (letters < bestLetters || (letters === bestLetters && best !== undefined && w.length > best.length)) {
        best = w;
        bestLetters = letters;
      }
    }
    if (best !== undefined && bestLetters === 0) break;
  }
  if (best === undefined) best = rarestPair(raw);
  if (best === undefined) return undefined;
  let variants = [''];
  for (const c of best) variants = isLetter(c) ? variants.flatMap((v) => [v + c.toLowerCase(), v + c.toUpperCase()]) : variants.map((v) => v + c);
  return variants.map((v) => Buffer.from(v, 'latin1'));
}

export interface ContentHit {
  role: MessageRole;
  snippet: string;
  timestamp: string | undefined;
}

/** False when the prefilter rules out any match in `content` (whole decoded rollout). */
export function mayMatch(content: Buffer, needle: Needle): boolean {
  if (!needle.anchors) return true;
  const nl = content.indexOf(10);
  const body = nl === -1 ? content : content.subarray(nl + 1);
  return needle.anchors.some((a) => body.indexOf(a) !== -1);
}

/** The first message-text match in `content` (whole decoded rollout), or undefined. */
export function findInContent(content: Buffer, needle: Needle): ContentHit | undefined {
  if (!mayMatch(content, needle)) return undefined;
  // The first line is the session_meta (base instructions, often most of a small file): never message text.
  const nl = content.indexOf(10);
  if (nl !== -1) content = content.subarray(nl + 1);
  const hay = needle.ascii ? content.toString('latin1') : content.toString('utf8');
  const re = needle.raw;
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(hay);
    if (!m) return undefined;
    const start = hay.lastIndexOf('\n', m.index) + 1;
    let end = hay.indexOf('\n', m.index);
    if (end === -1) end = hay.length;
    const line = needle.ascii ? content.toString('utf8', start, end) : hay.slice(start, end);
    const hit = matchLine(line, needle);
    if (hit) return hit;
    re.lastIndex = end + 1;
  }
}

function matchLine(line: string, needle: Needle): ContentHit | undefined {
  // A torn line holds several records: check each piece that parses.
  for (const r of recordsOfLine(line).records) {
    const msg = messageTextOf(r);
    if (!msg || msg.injected) continue;
    const m = needle.text.exec(msg.text);
    if (m) return { role: msg.role, snippet: snippetAround(msg.text, m.index, m[0].length), timestamp: r.timestamp };
  }
  return undefined;
}

export function snippetAround(text: string, at: number, len: number): string {
  const from = Math.max(0, at - SNIPPET_BEFORE);
  const to = Math.min(text.length, at + len + SNIPPET_AFTER);
  let s = text.slice(from, to).replace(/\s+/g, ' ');
  if (from > 0) s = '…' + s;
  if (to < text.length) s = s + '…';
  return s;
}
