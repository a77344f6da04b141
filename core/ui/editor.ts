// The composer's text editing, as pure functions of (text, cursor): moves by grapheme, word and line,
// deletions at the cursor, kills. The cursor is a UTF-16 index that always sits on a grapheme
// boundary; line moves keep the display column (wide characters count two).
import { graphemes, graphemeWidth, textWidth } from './text-width.js';

export interface Edit {
  text: string;
  cursor: number;
}

export const atEnd = (text: string): Edit => ({ text, cursor: text.length });

/** Grapheme boundaries of `text`, 0 and text.length included. */
function boundaries(text: string): number[] {
  const out = [0];
  let i = 0;
  for (const g of graphemes(text)) out.push((i += g.length));
  return out;
}

function prev(text: string, i: number): number {
  const b = boundaries(text);
  for (let k = b.length - 1; k >= 0; k--) if (b[k]! < i) return b[k]!;
  return 0;
}

function next(text: string, i: number): number {
  for (const x of boundaries(text)) if (x > i) return x;
  return text.length;
}

const lineStart = (text: string, i: number): number => text.lastIndexOf('\n', i - 1) + 1;
const lineEnd = (text: string, i: number): number => {
  const n = text.indexOf('\n', i);
  return n < 0 ? text.length : n;
};

export function insert(e: Edit, s: string): Edit {
  return { text: e.text.slice(0, e.cursor) + s + e.text.slice(e.cursor), cursor: e.cursor + s.length };
}

export const left = (e: Edit): Edit => ({ ...e, cursor: prev(e.text, e.cursor) });
export const right = (e: Edit): Edit => ({ ...e, cursor: next(e.text, e.cursor) });
export const home = (e: Edit): Edit => ({ ...e, cursor: lineStart(e.text, e.cursor) });
export const end = (e: Edit): Edit => ({ ...e, cursor: lineEnd(e.text, e.cursor) });

const WORD = /[\p{L}\p{N}_]/u;

/** Back over non-word characters, then over the word (readline's M-b). */
export function wordLeft(e: Edit): Edit {
  let i = e.cursor;
  while (i > 0 && !WORD.test(e.text.slice(prev(e.text, i), i))) i = prev(e.text, i);
  while (i > 0 && WORD.test(e.text.slice(prev(e.text, i), i))) i = prev(e.text, i);
  return { ...e, cursor: i };
}

/** Forward over non-word characters, then to the end of the word (readline's M-f). */
export function wordRight(e: Edit): Edit {
  let i = e.cursor;
  const n = e.text.length;
  while (i < n && !WORD.test(e.text.slice(i, next(e.text, i)))) i = next(e.text, i);
  while (i < n && WORD.test(e.text.slice(i, next(e.text, i)))) i = next(e.text, i);
  return { ...e, cursor: i };
}

function cut(e: Edit, from: number, to: number): Edit {
  return { text: e.text.slice(0, from) + e.text.slice(to), cursor: from };
}

export const backspace = (e: Edit): Edit => (e.cursor === 0 ? e : cut(e, prev(e.text, e.cursor), e.cursor));
export const del = (e: Edit): Edit => (e.cursor >= e.text.length ? e : cut(e, e.cursor, next(e.text, e.cursor)));

/** Ctrl-U: from the start of the line to the cursor (at a line start: the line break before it). */
export function killToLineStart(e: Edit): Edit {
  const s = lineStart(e.text, e.cursor);
  return s === e.cursor ? backspace(e) : cut(e, s, e.cursor);
}

/** Ctrl-K: from the cursor to the end of the line (at a line end: the line break after it). */
export function killToLineEnd(e: Edit): Edit {
  const t = lineEnd(e.text, e.cursor);
  return t === e.cursor ? del(e) : cut(e, e.cursor, t);
}

/** Ctrl-W: back over blanks, then over the blank-delimited word (readline's unix-word-rubout). */
export function killWordBack(e: Edit): Edit {
  let i = e.cursor;
  while (i > 0 && /\s/.test(e.text[i - 1]!)) i--;
  while (i > 0 && !/\s/.test(e.text[i - 1]!)) i = prev(e.text, i);
  return cut(e, i, e.cursor);
}

/** The index in `line` (from `from`) nearest to display column `col`, not past the line's end. */
function atColumn(text: string, from: number, col: number): number {
  const stop = lineEnd(text, from);
  let w = 0;
  let i = from;
  for (const g of graphemes(text.slice(from, stop))) {
    const gw = graphemeWidth(g);
    if (w + gw > col) break;
    w += gw;
    i += g.length;
  }
  return i;
}

/** ↑ inside the text; undefined on the first line (the caller goes through history instead). */
export function up(e: Edit): Edit | undefined {
  const s = lineStart(e.text, e.cursor);
  if (s === 0) return undefined;
  const col = textWidth(e.text.slice(s, e.cursor));
  return { ...e, cursor: atColumn(e.text, lineStart(e.text, s - 1), col) };
}

/** ↓ inside the text; undefined on the last line. */
export function down(e: Edit): Edit | undefined {
  const t = lineEnd(e.text, e.cursor);
  if (t === e.text.length) return undefined;
  const col = textWidth(e.text.slice(lineStart(e.text, e.cursor), e.cursor));
  return { ...e, cursor: atColumn(e.text, t + 1, col) };
}

/** The lines to draw: each split around the cursor's grapheme (`at` is '' where the cursor is not, ' ' at a line end). */
export function cursorLines(e: Edit): { before: string; at: string; after: string; cursor: boolean }[] {
  const out: { before: string; at: string; after: string; cursor: boolean }[] = [];
  let start = 0;
  for (const line of e.text.split('\n')) {
    const stop = start + line.length;
    if (e.cursor >= start && e.cursor <= stop) {
      const i = e.cursor - start;
      const g = i < line.length ? graphemes(line.slice(i))[0]! : '';
      out.push({ before: line.slice(0, i), at: g || ' ', after: line.slice(i + g.length), cursor: true });
    } else out.push({ before: line, at: '', after: '', cursor: false });
    start = stop + 1;
  }
  return out;
}
