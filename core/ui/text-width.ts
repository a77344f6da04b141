// Terminal columns of text: graphemes (a base character with its combining marks, an emoji with its
// modifiers and joiners) are the unit; East Asian wide and fullwidth characters and emoji take two
// columns, marks and controls none. The composer moves its cursor by these.

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Wide (two-column) ranges: Hangul Jamo, CJK, Hangul syllables, compatibility ideographs, fullwidth forms, CJK extensions. */
const WIDE: readonly [number, number][] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

function isWide(cp: number): boolean {
  for (const [a, b] of WIDE) {
    if (cp < a) return false;
    if (cp <= b) return true;
  }
  return false;
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
