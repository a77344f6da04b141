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

/**
 * A row of the composer as drawn: text[start, end), at most the given width. `lineLast`: the row
 * that ends its text line (the cursor may sit at its end); a line cut into rows keeps the
 * cursor at a cut on the next row.
 */
export interface Row {
  start: number;
  end: number;
  lineLast: boolean;
}

/**
 * The text laid out in rows of at most `width` display columns (Infinity: one row per line). A line
 * is cut before the grapheme that would pass the width, so a wide character is never split. A line
 * that fills its last row exactly gets an empty row after it, where the cursor at its end is drawn.
 */
export function rowsOf(text: string, width: number): Row[] {
  const rows: Row[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    const stop = start + line.length;
    let rowStart = start;
    let w = 0;
    let i = start;
    for (const g of graphemes(line)) {
      const gw = graphemeWidth(g);
      if (w + gw > width && i > rowStart) {
        rows.push({ start: rowStart, end: i, lineLast: false });
        rowStart = i;
        w = 0;
      }
      w += gw;
      i += g.length;
    }
    if (w >= width && stop > rowStart) {
      rows.push({ start: rowStart, end: stop, lineLast: false });
      rowStart = stop;
    }
    rows.push({ start: rowStart, end: stop, lineLast: true });
    start = stop + 1;
  }
  return rows;
}

/** The row the cursor is drawn on: the one holding it, or ending with it when it ends its line. */
function rowOfCursor(rows: readonly Row[], cursor: number): number {
  const k = rows.findIndex((r) => cursor >= r.start && (cursor < r.end || (cursor === r.end && r.lineLast)));
  return k < 0 ? rows.length - 1 : k;
}

/** The index in `row` nearest to display column `col`: on a cut row, before the cut. */
function atColumn(text: string, row: Row, col: number): number {
  let w = 0;
  let i = row.start;
  for (const g of graphemes(text.slice(row.start, row.end))) {
    const gw = graphemeWidth(g);
    if (w + gw > col || (!row.lineLast && i + g.length === row.end)) break;
    w += gw;
    i += g.length;
  }
  return i;
}

/** The cursor one drawn row up (-1) or down (1), at the same display column; undefined past the first / last row. */
function byRow(e: Edit, width: number, step: -1 | 1): Edit | undefined {
  const rows = rowsOf(e.text, width);
  const k = rowOfCursor(rows, e.cursor);
  const to = rows[k + step];
  if (!to) return undefined;
  const col = textWidth(e.text.slice(rows[k]!.start, e.cursor));
  return { ...e, cursor: atColumn(e.text, to, col) };
}

/** ↑ one drawn row, keeping the display column; undefined on the first row (the caller goes through history). */
export const up = (e: Edit, width = Infinity): Edit | undefined => byRow(e, width, -1);

/** ↓ one drawn row, keeping the display column; undefined on the last row. */
export const down = (e: Edit, width = Infinity): Edit | undefined => byRow(e, width, 1);

/** The rows to draw, each split around the cursor's grapheme (`at` is '' where the cursor is not, ' ' at a line end). */
export function cursorRows(e: Edit, width = Infinity): { before: string; at: string; after: string; cursor: boolean }[] {
  const rows = rowsOf(e.text, width);
  const k = rowOfCursor(rows, e.cursor);
  return rows.map((r, n) => {
    const text = e.text.slice(r.start, r.end);
    if (n !== k) return { before: text, at: '', after: '', cursor: false };
    const i = e.cursor - r.start;
    const g = i < text.length ? graphemes(text.slice(i))[0]! : '';
    return { before: text.slice(0, i), at: g || ' ', after: text.slice(i + g.length), cursor: true };
  });
}
