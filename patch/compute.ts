// Apply an Update hunk's chunks to a file's text in memory. Untouched lines (and context lines)
// keep their bytes and terminators; inserted lines take the file's first terminator; the result
// always ends with a terminator. Pure: text in, text out.
import { CodexError } from '../protocol/index.js';
import { seekSequence } from './seek.js';
import { SourceText } from './text.js';
import { nearestLines } from './nearest.js';
import { Content, type Piece } from './content.js';
import type { ChunkLine, UpdateChunk } from './types.js';

/** One replacement: the text [from, to) (whole lines) becomes the new lines `out`. */
interface Replacement {
  from: number;
  to: number;
  out: string[];
}

export function applyChunks(text: string, chunks: readonly UpdateChunk[], displayPath: string): string {
  return updatedContent(Content.of(text), chunks, displayPath).text;
}

/**
 * The new content of a file after an Update hunk's chunks (pieces of the original + new lines).
 * Positions are char offsets of line starts. An exact match is found by searching the text itself;
 * the line index (SourceText) is only built when a chunk needs the fuzzy passes, the end-of-file
 * rule or a diagnostic, so a typical patch never indexes or scans the whole file line by line.
 */
export function updatedContent(base: Content, chunks: readonly UpdateChunk[], displayPath: string): Content {
  // An unchanged ASCII original is searched as bytes (offsets are the same as in its text), so its
  // text is never decoded unless a chunk needs the line index.
  const raw = base.asciiBytes;
  let decoded: string | undefined = raw ? undefined : base.text;
  const text = () => (decoded ??= base.text);
  const n = raw ? raw.length : text().length;
  let indexed: SourceText | undefined;
  const index = () => (indexed ??= new SourceText(text()));
  const eol = raw ? firstEolBytes(raw) : firstEol(text());
  // Every terminator is LF when there is no CR at all: then a block search cannot miss a match.
  let lfOnly: boolean | undefined;
  const uniform = () => eol === '\n' && (lfOnly ??= raw ? raw.indexOf(13) === -1 : !text().includes('\r'));
  /** Line starts of the m matched lines plus the position after the last one, or undefined. */
  const seek = (pattern: readonly string[], cursor: number, eof: boolean): number[] | undefined => {
    if (pattern.length === 0) return [cursor];
    // The exact pass as one block search when it can decide: a first line with text, no CR inside a
    // line (lines come from splitting the patch at LF, so they hold none).
    const lf = pattern[0].length > 0 ? pattern.join('\n') : '\r';
    if (!eof && !lf.includes('\r')) {
      const block = eol === '\n' ? lf : pattern.join(eol);
      const hit = raw ? blockFind(raw, block, pattern, cursor, eol, uniform()) : blockFind(text(), block, pattern, cursor, eol, uniform());
      if (hit) return hit;
    }
    const src = index();
    const at = seekSequence(src, pattern, lineOf(src, cursor), eof);
    if (at === undefined) return undefined;
    const starts: number[] = [];
    for (let j = 0; j <= pattern.length; j++) starts.push(src.start[at + j]);
    return starts;
  };
  const fail = (pattern: string[], cursor: number, ci: number, headline: string, eof = false): CodexError => {
    const src = index();
    return contextError(src, pattern, lineOf(src, cursor), displayPath, ci, chunks.length, headline, eof);
  };
  const reps: Replacement[] = [];
  let cursor = 0;
  for (let ci = 0; ci < chunks.length; ci++) {
    const chunk = chunks[ci];
    if (chunk.header !== undefined) {
      const at = seek([chunk.header], cursor, false);
      if (at === undefined) throw fail([chunk.header], cursor, ci, `Failed to find context '${chunk.header}' in ${displayPath}`);
      cursor = at[1];
    }
    let lines = chunk.lines;
    const old: string[] = [];
    for (const l of lines) if (l.kind !== 'add') old.push(l.text);
    if (old.length === 0) {
      // Pure addition: appended at the end of the file.
      reps.push({ from: n, to: n, out: lines.map((l) => l.text) });
      continue;
    }
    let found = seek(old, cursor, chunk.endOfFile);
    if (found === undefined && old[old.length - 1] === '') {
      // The trailing empty line often stands for the file's final newline: retry without it.
      lines = dropTrailingBlank(lines);
      old.pop();
      found = seek(old, cursor, chunk.endOfFile);
    }
    if (found === undefined) {
      const where = chunk.endOfFile ? ' at the end of the file' : '';
      throw fail(old, cursor, ci, `Failed to find expected lines${where} in ${displayPath}`, chunk.endOfFile);
    }
    // Each run of removed/added lines between context lines is its own replacement; context
    // lines are never rewritten (they keep the file's text), as in the reference.
    let k = 0;
    let run: Replacement | undefined;
    for (const l of lines) {
      if (l.kind === 'context') {
        if (run) reps.push(run);
        run = undefined;
        k++;
        continue;
      }
      run ??= { from: found[k], to: found[k], out: [] };
      if (l.kind === 'remove') run.to = found[++k];
      else run.out.push(l.text);
    }
    if (run) reps.push(run);
    cursor = found[old.length];
  }
  const lastIsBreak = n === 0 || isBreak(raw ? raw[n - 1] : text().charCodeAt(n - 1));
  return Content.pieces(base, render(n, lastIsBreak, eol, reps));
}

const isBreak = (c: number) => c === 10 || c === 13;

/**
 * The exact pass without a line index, line by line: the first line is found with indexOf, then every
 * line is checked in place to be a whole line (starting after a terminator, ending at one) equal to
 * the pattern's. The same terminators as SourceText end a line: LF, CRLF and a lone CR.
 */
const ASCII = /^[\x00-\x7f]*$/;

/**
 * The exact pass as one native search: the pattern's lines joined by the file's first terminator,
 * at a line start and ending at a terminator (or the end). When the file may mix terminators
 * (`uniform` false), a match whose lines end differently would be missed, so the line-by-line
 * search below still checks the text before the block's first hit.
 */
function blockFind(hay: Buffer | string, block: string, pattern: readonly string[], from: number, eol: string, uniform: boolean): number[] | undefined {
  const raw = typeof hay !== 'string';
  // An ASCII file holds no other character: such a pattern has no exact match in it.
  if (raw && !ASCII.test(block)) return undefined;
  const n = hay.length;
  const at = raw ? (i: number) => hay[i] : (i: number) => hay.charCodeAt(i);
  const find = raw ? (i: number) => hay.indexOf(block, i, 'latin1') : (i: number) => hay.indexOf(block, i);
  let hit = -1;
  for (let p = find(from); p !== -1; p = find(p + 1)) {
    if (p > from && !isBreak(at(p - 1))) continue;
    const e = p + block.length;
    if (e < n && !isBreak(at(e))) continue;
    hit = p;
    break;
  }
  if (!uniform) {
    const earlier = raw ? exactFindBytes(hay, pattern, from, hit === -1 ? n + 1 : hit) : exactFind(hay, pattern, from, hit === -1 ? n + 1 : hit);
    if (earlier) return earlier;
  }
  if (hit === -1) return undefined;
  const starts = [hit];
  let s = hit;
  for (let k = 0; k < pattern.length - 1; k++) starts.push((s += pattern[k].length + eol.length));
  const e = s + pattern[pattern.length - 1].length;
  starts.push(e >= n ? n : at(e) === 13 && at(e + 1) === 10 ? e + 2 : e + 1);
  return starts;
}

function exactFind(text: string, pattern: readonly string[], from: number, limit: number): number[] | undefined {
  const first = pattern[0];
  const n = text.length;
  const m = pattern.length;
  for (let p = text.indexOf(first, from); p !== -1 && p < limit; p = text.indexOf(first, p + 1)) {
    if (p > from && !isBreak(text.charCodeAt(p - 1))) continue;
    const starts = [p];
    let s = p;
    for (let k = 0; k < m; k++) {
      const l = pattern[k];
      if (k > 0 && (s >= n || !text.startsWith(l, s))) break;
      const e = s + l.length;
      if (e >= n) s = n;
      else {
        const c = text.charCodeAt(e);
        if (c === 10) s = e + 1;
        else if (c === 13) s = text.charCodeAt(e + 1) === 10 ? e + 2 : e + 1;
        else break;
      }
      starts.push(s);
    }
    if (starts.length === m + 1) return starts;
  }
  return undefined;
}

/** exactFind on an ASCII file's bytes (a pattern with other characters never matches them exactly). */
function exactFindBytes(raw: Buffer, pattern: readonly string[], from: number, limit: number): number[] | undefined {
  const first = pattern[0];
  if (!ASCII.test(first)) return undefined;
  const n = raw.length;
  const m = pattern.length;
  for (let p = raw.indexOf(first, from, 'latin1'); p !== -1 && p < limit; p = raw.indexOf(first, p + 1, 'latin1')) {
    if (p > from && !isBreak(raw[p - 1])) continue;
    const starts = [p];
    let s = p;
    for (let k = 0; k < m; k++) {
      const l = pattern[k];
      if (k > 0 && (s >= n || !bytesAre(raw, s, l))) break;
      const e = s + l.length;
      if (e >= n) s = n;
      else {
        const c = raw[e];
        if (c === 10) s = e + 1;
        else if (c === 13) s = raw[e + 1] === 10 ? e + 2 : e + 1;
        else break;
      }
      starts.push(s);
    }
    if (starts.length === m + 1) return starts;
  }
  return undefined;
}

function bytesAre(raw: Buffer, at: number, s: string): boolean {
  const len = s.length;
  if (at + len > raw.length) return false;
  for (let i = 0; i < len; i++) if (raw[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** The line whose start is `pos` (a line start, or the end of the text: the line count). */
function lineOf(src: SourceText, pos: number): number {
  let lo = 0;
  let hi = src.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (src.start[mid] < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstEolBytes(raw: Buffer): string {
  const nl = raw.indexOf(10);
  const cr = (nl === -1 ? raw : raw.subarray(0, nl)).indexOf(13);
  if (cr !== -1) return raw[cr + 1] === 10 ? '\r\n' : '\r';
  return '\n';
}

/** The file's first terminator (what inserted lines get), LF when there is none. */
function firstEol(text: string): string {
  const nl = text.indexOf('\n');
  const cr = (nl === -1 ? text : text.slice(0, nl)).indexOf('\r');
  if (cr !== -1) return text.charCodeAt(cr + 1) === 10 ? '\r\n' : '\r';
  return '\n';
}

/** Drop the last old line; drop the last new line too when it is empty (the reference's retry). */
function dropTrailingBlank(lines: UpdateChunk['lines']): UpdateChunk['lines'] {
  let lastOld = -1;
  let lastNew = -1;
  for (let i = lines.length - 1; i >= 0 && (lastOld < 0 || lastNew < 0); i--) {
    if (lastOld < 0 && lines[i].kind !== 'add') lastOld = i;
    if (lastNew < 0 && lines[i].kind !== 'remove') lastNew = i;
  }
  const dropNew = lastNew >= 0 && lines[lastNew].text === '';
  const out: (ChunkLine | undefined)[] = lines.slice();
  if (dropNew && lastNew === lastOld) {
    out[lastOld] = undefined;
  } else {
    // Leaving the old side only: a removed line vanishes, a context line becomes an added one.
    const o = lines[lastOld];
    out[lastOld] = o.kind === 'context' ? { kind: 'add', text: o.text } : undefined;
    if (dropNew) {
      // Leaving the new side only: an added line vanishes, a context line becomes a removed one.
      const n = lines[lastNew];
      out[lastNew] = n.kind === 'context' ? { kind: 'remove', text: n.text } : undefined;
    }
  }
  return out.filter((l): l is ChunkLine => l !== undefined);
}

function render(n: number, lastIsBreak: boolean, eol: string, reps: Replacement[]): Piece[] {
  reps.sort((a, b) => a.from - b.from); // stable: chunk order kept for equal starts
  const parts: Piece[] = [];
  let pos = 0; // next source position to copy
  const copy = (to: number) => {
    if (to <= pos) return;
    parts.push([pos, to]);
    // An unterminated last line gets the file's terminator.
    if (to === n && !lastIsBreak) parts.push(eol);
    pos = to;
  };
  for (const r of reps) {
    copy(r.from);
    for (const o of r.out) parts.push(o + eol);
    pos = Math.max(pos, r.to);
  }
  copy(n);
  return parts;
}

function contextError(
  src: SourceText,
  pattern: string[],
  cursor: number,
  displayPath: string,
  chunkIndex: number,
  chunkCount: number,
  headline: string,
  eof = false,
): CodexError {
  const detail = nearestLines(src, pattern, cursor, eof);
  const chunkInfo = chunkCount > 1 ? ` (chunk ${chunkIndex + 1} of ${chunkCount})` : '';
  return new CodexError('PATCH_CONTEXT_NOT_FOUND', `${headline}${chunkInfo}: ${detail}`);
}
