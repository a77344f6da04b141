// Terminal columns of text: graphemes (a base character with its combining marks, an emoji with its
// modifiers and joiners) are the unit; East Asian wide and fullwidth characters and emoji take two
// columns, marks and controls none. The composer moves its cursor by these.

import { charWidth } from './early/index.js';

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Two columns by East Asian width (the one table, shared with the picker's first paint). */
function isWide(cp: number): boolean {
  return charWidth(String.fromCodePoint(cp)) === 2;
}

const ZERO = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}]$/u;
const EMOJI = /\p{Extended_Pictographic}/u;

/** Columns of one grapheme. */
export function graphemeWidth(g: string): number {
  const cp = g.codePointAt(0);
  if (cp === undefined) return 0;
  if (ZERO.test(String.fromCodePoint(cp))) return 0;
  // An emoji presentation (VS16, a skin tone, a ZWJ sequence) or a wide pictograph is two columns.
  if (EMOJI.test(g) && (g.includes('\uFE0F') || g.length > 2 || isWide(cp))) return 2;
  return isWide(cp) ? 2 : 1;
}

export function textWidth(text: string): number {
  let w = 0;
  for (const g of graphemes(text)) w += graphemeWidth(g);
  return w;
}
