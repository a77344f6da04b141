// Case-insensitive matching of a query against the message text of a decoded rollout. A fast
// pass finds candidate positions in the raw JSON (an ASCII query: a SIMD byte scan, no decode of
// the file at all; others: a regex over its text); only the lines around candidates are parsed and
// checked for real.
import { messageTextOf, type MessageRole } from '../format.js';
import { recordsOfLine } from '../lines.js';
import { foldNeedle, foldScanModule, FoldScanner } from './fold-scan.js';

export const SNIPPET_BEFORE = 48;
export const SNIPPET_AFTER = 96;

export interface Needle {
  query: string;
  /** Finds candidates in raw JSON text (the query as JSON would escape it); for non-ASCII queries. */
  raw: RegExp;
  /** Confirms a match in decoded message text. */
  text: RegExp;
  ascii: boolean;
  /**
   * ASCII queries: the raw JSON form's bytes, searched case-insensitively by a SIMD scanner (whose
   * memory also holds the files being searched, see search.ts). Undefined for other queries.
   */
  folded: Uint8Array | undefined;
  scanner: FoldScanner | undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A needle without its scanner (all a helper thread is given): cheap, no WebAssembly compiled. */
export type NeedleSpec = Omit<Needle, 'scanner'>;

export function needleSpec(query: string): NeedleSpec {
  const ascii = /^[\x00-\x7f]*$/.test(query);
  const jsonForm = JSON.stringify(query).slice(1, -1);
  return {
    query,
    raw: new RegExp(escapeRe(jsonForm), ascii ? 'gi' : 'giu'),
    text: new RegExp(escapeRe(query), ascii ? 'i' : 'iu'),
    ascii,
    folded: ascii ? foldNeedle(jsonForm) : undefined,
  };
}

export function compileNeedle(query: string | NeedleSpec): Needle {
  const spec = typeof query === 'string' ? needleSpec(query) : query;
  return { ...spec, scanner: spec.folded ? new FoldScanner(foldScanModule(), spec.folded) : undefined };
}

/**
 * Whether the n bytes of content at the start of `bytes` have a rollout's shape where they begin: a
 * first line that opens and closes a JSON object. A file that fails this (binary, a zstd stream or
 * UTF-16 text under a `.jsonl` name, an empty file) is judged the way a listing judges it
 * (search.ts), which words the one warning.
 */
export function looksLikeRollout(bytes: Uint8Array, n: number, firstLineEnd: number): boolean {
  return n > 0 && bytes[0] === 0x7b && bytes[(firstLineEnd === -1 ? n : firstLineEnd) - 1] === 0x7d;
}

export interface ContentHit {
  role: MessageRole;
  snippet: string;
  timestamp: string | undefined;
}

/** The first message-text match in `content` (whole decoded rollout), or undefined. */
export function findInContent(content: Buffer, needle: Needle): ContentHit | undefined {
  // The first line is the session_meta (base instructions, often most of a small file): never message text.
  const nl = content.indexOf(10);
  const body = nl === -1 ? 0 : nl + 1;
  const scanner = needle.scanner;
  if (scanner) {
    // Candidates come from the scanner (in place when the file was read into its memory); each
    // one's line is decoded and checked for real.
    for (let at = scanner.findIn(content, body); at !== -1; ) {
      const start = content.lastIndexOf(10, at) + 1;
      let end = content.indexOf(10, at);
      if (end === -1) end = content.length;
      const hit = matchLine(content.toString('utf8', start, end), needle);
      if (hit) return hit;
      at = end + 1 < content.length ? scanner.find(content.length, end + 1) : -1;
    }
    return undefined;
  }
  const hay = content.toString('utf8', body);
  const re = needle.raw;
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(hay);
    if (!m) return undefined;
    const start = hay.lastIndexOf('\n', m.index) + 1;
    let end = hay.indexOf('\n', m.index);
    if (end === -1) end = hay.length;
    const hit = matchLine(hay.slice(start, end), needle);
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
