// Terminal column widths, enough to cut a line so that it never wraps: East Asian wide and
// fullwidth characters and emoji take two columns, combining marks none. Control characters are
// shown as spaces (a session's text must not move the cursor or restyle the screen).

const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0], [0x23f3, 0x23f3],
  [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f], [0x2693, 0x2693], [0x26a1, 0x26a1],
  [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5], [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea],
  [0x26f2, 0x26f3], [0x26f5, 0x26f5], [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b],
  [0x2728, 0x2728], [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797],
  [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55], [0x2e80, 0x303e],
  [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3],
  [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x16fe0, 0x18aff],
  [0x1b000, 0x1b2ff], [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a],
  [0x1f200, 0x1f2ff], [0x1f300, 0x1f64f], [0x1f680, 0x1f6ff], [0x1f7e0, 0x1f7eb], [0x1f90c, 0x1f9ff],
  [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
];

const ZERO = /^[\p{Mn}\p{Me}\u200b-\u200f\u2060-\u2064\ufe00-\ufe0f\ufeff]$/u;

export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x7f) return cp < 0x20 ? 0 : 1;
  if (ZERO.test(ch)) return 0;
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = WIDE[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return 2;
  }
  return 1;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** `text` cut to at most `cols` columns (a cut one ends in '…'), with its width. */
export function fitWidth(text: string, cols: number): { text: string; width: number; cut: boolean } {
  const clean = text.replace(CONTROL, ' ');
  let width = 0;
  let fitsBefore = -1; // index where the text stops fitting in cols - 1 (room for '…')
  let widthBefore = 0;
  let i = 0;
  for (const ch of clean) {
    const w = charWidth(ch);
    if (fitsBefore < 0 && width + w > cols - 1) {
      fitsBefore = i;
      widthBefore = width;
    }
    width += w;
    if (width > cols) return { text: clean.slice(0, fitsBefore) + '…', width: widthBefore + 1, cut: true };
    i += ch.length;
  }
  return { text: clean, width, cut: false };
}
