// Apply an Update hunk's chunks to a file's text in memory. Untouched lines (and context lines)
// keep their bytes and terminators; inserted lines take the file's first terminator; the result
// always ends with a terminator. Pure: text in, text out.
import { CodexError } from '../protocol/index.js';
import { seekSequence } from './seek.js';
import { SourceText } from './text.js';
import { nearestLines } from './nearest.js';
import { blockFind, firstEol, hayOfBytes, hayOfText, isBreak } from './exact.js';
import { Content, type Piece } from './content.js';
import type { ChunkLine, UpdateChunk } from './types.js';

/** One replacement: the text [from, to) (whole lines) becomes the new lines `out`. */
interface Replacement {
  from: number;
  to: number;
  out: string[];
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
  const hay = raw ? hayOfBytes(raw) : hayOfText(base.text);
  const n = hay.n;
  let indexed: SourceText | undefined;
  const index = () => (indexed ??= new SourceText(base.text));
  const firstCr = hay.find('\r', 0);
  const eol = firstEol(hay, firstCr);
  // Every terminator is LF when there is no CR at all: then a block search cannot miss a match.
  const uniform = firstCr === -1;
  /** Line starts of the m matched lines plus the position after the last one, or undefined. */
  const seek = (pattern: readonly string[], cursor: number, eof: boolean): number[] | undefined => {
    if (pattern.length === 0) return [cursor];
    // The exact pass as one block search when it can decide: a first line with text, no CR inside a
    // line (lines come from splitting the patch at LF, so they hold none).
    const lf = !eof && pattern[0] !== '' ? pattern.join('\n') : undefined;
    if (lf !== undefined && !lf.includes('\r')) {
      const hit = blockFind(hay, eol === '\n' ? lf : pattern.join(eol), pattern, cursor, eol, uniform);
      if (hit) return hit;
    }
    const src = index();
    const at = seekSequence(src, pattern, lineOf(src, cursor), eof);
    if (at === undefined) return undefined;
    return Array.from(src.start.subarray(at, at + pattern.length + 1));
  };
  const fail = (pattern: string[], cursor: number, ci: number, headline: string, eof = false): CodexError => {
    const src = index();
    return contextError(src, pattern, lineOf(src, cursor), displayPath, ci, chunks.length, headline, eof);
  };
  const reps: Replacement[] = [];
  let cursor = 0;
  for (const [ci, chunk] of chunks.entries()) {
    if (chunk.header !== undefined) {
      const at = seek([chunk.header], cursor, false);
      if (at === undefined) throw fail([chunk.header], cursor, ci, `Failed to find context '${chunk.header}' in ${displayPath}`);
      cursor = startOf(at, 1);
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
      run ??= { from: startOf(found, k), to: startOf(found, k), out: [] };
      if (l.kind === 'remove') run.to = startOf(found, ++k);
      else run.out.push(l.text);
    }
    if (run) reps.push(run);
    cursor = startOf(found, old.length);
  }
  const lastIsBreak = n === 0 || isBreak(hay.at(n - 1));
  return Content.pieces(base, render(n, lastIsBreak, eol, reps));
}

/** Entry k of a match's line starts (seek gives one per matched line plus the end, so k ≤ m is there). */
function startOf(starts: readonly number[], k: number): number {
  const at = starts[k];
  if (at === undefined) throw new CodexError('INTERNAL', `a match has ${starts.length} line starts, not ${k + 1}`);
  return at;
}

/** The line whose start is `pos` (a line start, or the end of the text: the line count). */
function lineOf(src: SourceText, pos: number): number {
  let lo = 0;
  let hi = src.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((src.start[mid] ?? pos) < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Drop the last old line; drop the last new line too when it is empty (the reference's retry). */
function dropTrailingBlank(lines: UpdateChunk['lines']): UpdateChunk['lines'] {
  const lastOld = lines.findLastIndex((l) => l.kind !== 'add');
  const lastNew = lines.findLastIndex((l) => l.kind !== 'remove');
  const dropNew = lines[lastNew]?.text === '';
  const out: ChunkLine[] = [];
  lines.forEach((l, i) => {
    // The last line of both sides: gone.
    if (i === lastOld && dropNew && lastNew === lastOld) return;
    // Leaving the old side only: a removed line vanishes, a context line becomes an added one.
    if (i === lastOld) {
      if (l.kind === 'context') out.push({ kind: 'add', text: l.text });
      return;
    }
    // Leaving the new side only: an added line vanishes, a context line becomes a removed one.
    if (i === lastNew && dropNew) {
      if (l.kind === 'context') out.push({ kind: 'remove', text: l.text });
      return;
    }
    out.push(l);
  });
  return out;
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
