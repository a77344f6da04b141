// apply_patch grammar → tagged hunks. Pure: no file system. Leniency matches Codex 0.169
// (markers padded with whitespace, a heredoc wrapper, an optional Environment ID line).
import { CodexError } from '../protocol/index.js';
import { rustLines, rustTrim, rustTrimEnd, trimEndIndex } from './text.js';
import type { ChunkLine, Hunk, ParsedPatch, UpdateChunk } from './types.js';

const BEGIN = '*** Begin Patch';
const END = '*** End Patch';
const ADD = '*** Add File: ';
const DELETE = '*** Delete File: ';
const UPDATE = '*** Update File: ';
const MOVE = '*** Move to: ';
const EOF_MARKER = '*** End of File';
const ENV = '*** Environment ID: ';

function parseError(message: string): CodexError {
  return new CodexError('PATCH_PARSE', `Invalid patch: ${message}`);
}

function hunkError(line: number, message: string): CodexError {
  return new CodexError('PATCH_PARSE', `Invalid patch hunk on line ${line}: ${message}`);
}

/** Checks Begin/End; returns the body lines and how many lines precede the body (for line numbers). */
function boundaries(lines: string[]): { body: string[]; offset: number } {
  const strict = (ls: string[]): string[] | CodexError => {
    const first = ls.at(0);
    const last = ls.at(-1);
    if (first !== undefined && rustTrim(first) === BEGIN && last !== undefined && rustTrim(last) === END && ls.length >= 2) return ls.slice(1, -1);
    if (first === undefined || rustTrim(first) !== BEGIN) return parseError(`The first line of the patch must be '${BEGIN}'`);
    return parseError(`The last line of the patch must be '${END}'`);
  };
  const r = strict(lines);
  if (!(r instanceof CodexError)) return { body: r, offset: 1 };
  const first = lines.at(0);
  const last = lines.at(-1);
  if (lines.length >= 4 && (first === '<<EOF' || first === "<<'EOF'" || first === '<<"EOF"') && last?.endsWith('EOF')) {
    const inner = strict(lines.slice(1, -1));
    if (inner instanceof CodexError) throw inner;
    return { body: inner, offset: 2 };
  }
  throw r;
}

/**
 * Parse apply_patch text (`*** Begin Patch` … `*** End Patch`, also wrapped in a heredoc) into hunks.
 * Pure: reads no file. Bad grammar throws `CodexError` with code `PATCH_PARSE` naming the line.
 *
 * @example
 *   const parsed = parsePatch('*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch');
 *   parsed.hunks[0]; // { type: 'add', path: 'a.txt', contents: 'hi\n', patchLine: 2 }
 */
export function parsePatch(text: string): ParsedPatch {
  const { body, offset } = boundaries(rustLines(rustTrim(text)));
  // Every loop reads `line = body[i]`: past the end it is undefined, which ends the loop.
  let i = 0;
  let line: string | undefined;
  let environmentId: string | undefined;
  while ((line = body[i]) !== undefined) {
    const t = rustTrim(line);
    if (!t.startsWith(ENV)) break;
    if (environmentId !== undefined) throw parseError('apply_patch environment_id cannot be specified more than once');
    environmentId = t.slice(ENV.length);
    i++;
  }
  const hunks: Hunk[] = [];
  while ((line = body[i]) !== undefined) {
    const lineNo = i + offset + 1;
    const first = rustTrim(line);
    if (first.startsWith(ADD)) {
      let contents = '';
      i++;
      while ((line = body[i])?.startsWith('+')) {
        contents += line.slice(1) + '\n';
        i++;
      }
      hunks.push({ type: 'add', path: first.slice(ADD.length), contents, patchLine: lineNo });
    } else if (first.startsWith(DELETE)) {
      hunks.push({ type: 'delete', path: first.slice(DELETE.length), patchLine: lineNo });
      i++;
    } else if (first.startsWith(UPDATE)) {
      const path = first.slice(UPDATE.length);
      i++;
      let movePath: string | undefined;
      line = body[i];
      if (line?.startsWith(MOVE)) {
        const m = rustTrimEnd(line);
        if (m.startsWith(MOVE)) {
          movePath = m.slice(MOVE.length);
          i++;
        }
      }
      const chunks: UpdateChunk[] = [];
      while ((line = body[i]) !== undefined) {
        // An empty line here is an empty context line of the next chunk (0.169 skips nothing).
        if (line.startsWith('*')) break;
        const r = parseChunk(body, i, i + offset + 1, chunks.length === 0);
        chunks.push(r.chunk);
        i = r.next;
      }
      if (chunks.length === 0) throw hunkError(lineNo, `Update file hunk for path '${path}' is empty`);
      hunks.push({ type: 'update', path, movePath, chunks, patchLine: lineNo });
    } else {
      throw hunkError(
        lineNo,
        `'${first}' is not a valid hunk header. Valid hunk headers: '*** Add File: {path}', '*** Delete File: {path}', '*** Update File: {path}'`,
      );
    }
  }
  return { hunks, environmentId };
}

function parseChunk(body: string[], at: number, lineNo: number, firstChunk: boolean): { chunk: UpdateChunk; next: number } {
  let header: string | undefined;
  let i = at;
  const h = body[i] ?? '';
  if (h.startsWith('@@') && trimEndIndex(h) === 2) {
    i++;
  } else if (h.startsWith('@@ ')) {
    header = h.slice(3);
    i++;
  } else if (!firstChunk) {
    throw hunkError(lineNo, `Expected update hunk to start with a @@ context marker, got: '${h}'`);
  }
  if (i >= body.length) throw hunkError(lineNo + 1, 'Update hunk does not contain any lines');
  const lines: ChunkLine[] = [];
  let endOfFile = false;
  let parsed = 0;
  for (let l = body[i]; l !== undefined; l = body[++i]) {
    if (l.charCodeAt(0) === 0x2a && rustTrimEnd(l) === EOF_MARKER) {
      if (parsed === 0) throw hunkError(lineNo + 1, 'Update hunk does not contain any lines');
      endOfFile = true;
      i++;
      break;
    }
    const c = l.charCodeAt(0);
    if (l.length === 0) lines.push({ kind: 'context', text: '' });
    else if (c === 0x20) lines.push({ kind: 'context', text: l.slice(1) });
    else if (c === 0x2b) lines.push({ kind: 'add', text: l.slice(1) });
    else if (c === 0x2d) lines.push({ kind: 'remove', text: l.slice(1) });
    else {
      if (parsed === 0) {
        throw hunkError(
          lineNo + 1,
          `Unexpected line found in update hunk: '${l}'. Every line should start with ' ' (context line), '+' (added line), or '-' (removed line)`,
        );
      }
      break;
    }
    parsed++;
  }
  return { chunk: { header, lines, endOfFile, patchLine: lineNo }, next: i };
}
