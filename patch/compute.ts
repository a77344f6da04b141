// Apply an Update hunk's chunks to a file's text in memory. Untouched lines (and context lines)
// keep their bytes and terminators; inserted lines take the file's first terminator; the result
// always ends with a terminator. Pure: text in, text out.
import { CodexError } from '../protocol/index.js';
import { seekSequence } from './seek.js';
import { SourceText } from './text.js';
import { nearestLines } from './nearest.js';
import { Content, type Piece } from './content.js';
import type { ChunkLine, UpdateChunk } from './types.js';

/** One replacement: source lines [start, start+oldLen) become the new lines `out`. */
interface Replacement {
  start: number;
  oldLen: number;
  out: string[];
}

export function applyChunks(text: string, chunks: readonly UpdateChunk[], displayPath: string): string {
  return updatedContent(Content.of(text), chunks, displayPath).text;
}

/** The new content of a file after an Update hunk's chunks (pieces of the original + new lines). */
export function updatedContent(base: Content, chunks: readonly UpdateChunk[], displayPath: string): Content {
  const src = new SourceText(base.text);
  const reps: Replacement[] = [];
  let cursor = 0;
  chunks.forEach((chunk, ci) => {
    if (chunk.header !== undefined) {
      const at = seekSequence(src, [chunk.header], cursor, false);
      if (at === undefined) {
        throw contextError(src, [chunk.header], cursor, displayPath, ci, chunks.length, `Failed to find context '${chunk.header}' in ${displayPath}`);
      }
      cursor = at + 1;
    }
    let lines = chunk.lines;
    const old: string[] = [];
    for (const l of lines) if (l.kind !== 'add') old.push(l.text);
    if (old.length === 0) {
      // Pure addition: appended at the end of the file.
      reps.push({ start: src.count, oldLen: 0, out: lines.map((l) => l.text) });
      return;
    }
    let found = seekSequence(src, old, cursor, chunk.endOfFile);
    if (found === undefined && old[old.length - 1] === '') {
      // The trailing empty line often stands for the file's final newline: retry without it.
      lines = dropTrailingBlank(lines);
      old.pop();
      found = seekSequence(src, old, cursor, chunk.endOfFile);
    }
    if (found === undefined) {
      const where = chunk.endOfFile ? ' at the end of the file' : '';
      throw contextError(src, old, cursor, displayPath, ci, chunks.length, `Failed to find expected lines${where} in ${displayPath}`, chunk.endOfFile);
    }
    // Each run of removed/added lines between context lines is its own replacement; context
    // lines are never rewritten (they keep the file's text), as in the reference.
    let k = found;
    let run: Replacement | undefined;
    for (const l of lines) {
      if (l.kind === 'context') {
        if (run) reps.push(run);
        run = undefined;
        k++;
        continue;
      }
      run ??= { start: k, oldLen: 0, out: [] };
      if (l.kind === 'remove') {
        run.oldLen++;
        k++;
      } else run.out.push(l.text);
    }
    if (run) reps.push(run);
    cursor = found + old.length;
  });
  return Content.pieces(base, render(src, reps));
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

function render(src: SourceText, reps: Replacement[]): Piece[] {
  reps.sort((a, b) => a.start - b.start); // stable: chunk order kept for equal starts
  const { start, count, eol } = src;
  const parts: Piece[] = [];
  let pos = 0; // next source line to copy
  const copy = (to: number) => {
    if (to <= pos) return;
    parts.push([start[pos], start[to]]);
    if (to === count && !src.terminated(count - 1)) parts.push(eol);
    pos = to;
  };
  for (const r of reps) {
    copy(r.start);
    for (const o of r.out) parts.push(o + eol);
    pos = Math.max(pos, r.start + r.oldLen);
  }
  copy(count);
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
