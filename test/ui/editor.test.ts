// The composer's editing model and key decoding, as pure functions: moves by grapheme, word and
// line (keeping the display column across wide characters), deletions and kills at the cursor.
import { describe, expect, it } from 'vitest';
import { charWidth, decodeKey, decodeKeys, editor as ed, graphemeWidth, tailRows, textWidth } from '../../core/ui/index.js';

/** `|` marks the cursor. */
const at = (s: string): ed.Edit => ({ text: s.replace('|', ''), cursor: s.indexOf('|') });
const show = (e: ed.Edit | undefined): string => (e ? e.text.slice(0, e.cursor) + '|' + e.text.slice(e.cursor) : 'none');

describe('display width', () => {
  it('counts CJK and emoji as two columns, combining marks as none', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('日本語')).toBe(6);
    expect(textWidth('한글')).toBe(4);
    expect(textWidth('ｆｕｌｌ')).toBe(8);
    expect(graphemeWidth('👍')).toBe(2);
    expect(graphemeWidth('👍🏽')).toBe(2);
    expect(graphemeWidth('👨‍👩‍👧')).toBe(2);
    expect(graphemeWidth('❤️')).toBe(2);
    expect(textWidth('e\u0301')).toBe(1);
    expect(textWidth('—')).toBe(1);
    // The same table as the first paint's (and Ink's): emoji outside the old ranges, and the
    // neutral U+1F900–1F90B, measured as the terminal draws them.
    expect(graphemeWidth('🚀')).toBe(2);
    expect(graphemeWidth('✅')).toBe(2);
    expect(graphemeWidth('\u{1F900}')).toBe(1);
    for (const ch of ['日', '🚀', '✅', 'a', '\u{1F900}']) expect(graphemeWidth(ch)).toBe(charWidth(ch));
  });
});

describe('editing at the cursor', () => {
  it('moves by grapheme: an emoji with a skin tone or a combining accent is one step', () => {
    expect(show(ed.left(at('a👍🏽|b')))).toBe('a|👍🏽b');
    expect(show(ed.right(at('a|e\u0301b')))).toBe('ae\u0301|b');
    expect(show(ed.left(at('|ab')))).toBe('|ab');
    expect(show(ed.right(at('ab|')))).toBe('ab|');
  });

  it('inserts, deletes back and forward where the cursor is', () => {
    expect(show(ed.insert(at('he|o'), 'll'))).toBe('hell|o');
    expect(show(ed.backspace(at('日本|語')))).toBe('日|語');
    expect(show(ed.del(at('日|本語')))).toBe('日|語');
    expect(show(ed.backspace(at('|x')))).toBe('|x');
    expect(show(ed.del(at('x|')))).toBe('x|');
    expect(show(ed.backspace(at('ok👍🏽|')))).toBe('ok|');
  });

  it('Home/End go to the ends of the current line', () => {
    expect(show(ed.home(at('one\ntw|o\nthree')))).toBe('one\n|two\nthree');
    expect(show(ed.end(at('one\nt|wo\nthree')))).toBe('one\ntwo|\nthree');
  });

  it('word moves skip punctuation and blanks, then the word', () => {
    expect(show(ed.wordLeft(at('git commit --amend|')))).toBe('git commit --|amend');
    expect(show(ed.wordLeft(at('git commit --|amend')))).toBe('git |commit --amend');
    expect(show(ed.wordRight(at('|git commit')))).toBe('git| commit');
    expect(show(ed.wordRight(at('git| commit')))).toBe('git commit|');
    expect(show(ed.wordLeft(at('日本語 テスト|')))).toBe('日本語 |テスト');
  });

  it('Ctrl-U, Ctrl-K and Ctrl-W kill to the line start, the line end, the previous word', () => {
    expect(show(ed.killToLineStart(at('a\nbc|d')))).toBe('a\n|d');
    expect(show(ed.killToLineStart(at('a\n|d')))).toBe('a|d');
    expect(show(ed.killToLineEnd(at('a|bc\nd')))).toBe('a|\nd');
    expect(show(ed.killToLineEnd(at('abc|\nd')))).toBe('abc|d');
    expect(show(ed.killWordBack(at('run make test  |now')))).toBe('run make |now');
    expect(show(ed.killWordBack(at('path/to/file|')))).toBe('|');
  });

  it('↑/↓ move between lines keeping the display column; none at the first/last line', () => {
    expect(show(ed.up(at('abcdef\nab|c')))).toBe('ab|cdef\nabc');
    expect(show(ed.down(at('abc|def\nab')))).toBe('abcdef\nab|');
    // Two columns of 日 are four columns of ASCII.
    expect(show(ed.down(at('日本|語\nabcdefgh')))).toBe('日本語\nabcd|efgh');
    expect(show(ed.up(at('日本語\nabc|defgh')))).toBe('日|本語\nabcdefgh');
    expect(ed.up(at('ab|c\nd'))).toBeUndefined();
    expect(ed.down(at('abc\n|d'))).toBeUndefined();
  });

  it('splits lines around the cursor for drawing', () => {
    expect(ed.cursorRows(at('ab\nc|日d'))).toEqual([
      { before: 'ab', at: '', after: '', cursor: false },
      { before: 'c', at: '日', after: 'd', cursor: true },
    ]);
    expect(ed.cursorRows(at('x|'))).toEqual([{ before: 'x', at: ' ', after: '', cursor: true }]);
  });

  it('cuts a long line into rows of the width, never inside a wide character', () => {
    const rows = (text: string, width: number) => ed.rowsOf(text, width).map((r) => `${text.slice(r.start, r.end)}${r.lineLast ? '$' : ''}`);
    expect(rows('abcdefgh', 3)).toEqual(['abc', 'def', 'gh$']);
    expect(rows('a日本x', 2)).toEqual(['a', '日', '本', 'x$']);
    expect(rows('日本語', 4)).toEqual(['日本', '語$']);
    // A line that fills its row: the cursor at its end is drawn on an empty row below it.
    expect(rows('abc\nde', 3)).toEqual(['abc', '$', 'de$']);
    expect(rows('', 5)).toEqual(['$']);
    expect(rows('ab\n\ncd', Infinity)).toEqual(['ab$', '$', 'cd$']);
  });

  it('↑/↓ move by the rows on screen when a line wraps, keeping the display column', () => {
    expect(show(ed.up(at('abcdefg|h'), 3))).toBe('abcd|efgh');
    expect(show(ed.up(at('abcd|efgh'), 3))).toBe('a|bcdefgh');
    expect(ed.up(at('a|bcdefgh'), 3)).toBeUndefined();
    expect(show(ed.down(at('ab|cdefgh'), 3))).toBe('abcde|fgh');
    // Onto a cut row past its end: before its last grapheme (at the cut the cursor is the next row's).
    expect(show(ed.up(at('a日bc|'), 3))).toBe('a|日bc');
    // Onto the row that ends its line: its end is a place too.
    expect(show(ed.down(at('abcde|fgh\nxyz'), 3))).toBe('abcdefgh|\nxyz');
    expect(show(ed.up(at('abcdefgh\nxy|z'), 3))).toBe('abcdefgh|\nxyz');
    expect(ed.down(at('abcdef|gh'), 3)).toBeUndefined();
    // From the empty row under a full line, ↑ goes to that line's last row.
    expect(show(ed.up(at('abc|'), 3))).toBe('|abc');
    // Wide characters: two columns each.
    expect(show(ed.down(at('ab|cd日本'), 4))).toBe('abcd日|本');
    // Drawn where the moves put it.
    expect(ed.cursorRows(at('abcdefg|h'), 3)).toEqual([
      { before: 'abc', at: '', after: '', cursor: false },
      { before: 'def', at: '', after: '', cursor: false },
      { before: 'g', at: 'h', after: '', cursor: true },
    ]);
    expect(ed.cursorRows(at('abc|'), 3)).toEqual([
      { before: 'abc', at: '', after: '', cursor: false },
      { before: '', at: ' ', after: '', cursor: true },
    ]);
  });
});

describe('keys', () => {
  it('tells Backspace from Delete, and decodes cursor, word and kill keys of common terminals', () => {
    const k = (s: string) => decodeKey(s).kind;
    expect(k('\x7f')).toBe('backspace');
    expect(k('\x1b[3~')).toBe('delete');
    expect(k('\x1b[D')).toBe('left');
    expect(k('\x1bOC')).toBe('right');
    expect(k('\x1b[1;5D')).toBe('wordLeft');
    expect(k('\x1b[1;3C')).toBe('wordRight');
    expect(k('\x1bb')).toBe('wordLeft');
    expect(k('\x1bf')).toBe('wordRight');
    expect(k('\x1bOd')).toBe('wordLeft');
    expect(k('\x1b\x1b[D')).toBe('wordLeft');
    expect(k('\x1b[H')).toBe('home');
    expect(k('\x1b[1~')).toBe('home');
    expect(k('\x1b[F')).toBe('end');
    expect(k('\x1b[4~')).toBe('end');
    expect(k('\x01')).toBe('home');
    expect(k('\x05')).toBe('end');
    expect(k('\x15')).toBe('killLineStart');
    expect(k('\x0b')).toBe('killLineEnd');
    expect(k('\x17')).toBe('killWordBack');
    expect(k('\r')).toBe('enter');
    expect(k('\n')).toBe('newline');
    expect(k('\x1b[200~')).toBe('pasteStart');
    expect(k('\x1b[201~')).toBe('pasteEnd');
    expect(k('\x1b[15~')).toBe('ignored');
    expect(k('\x1b[I')).toBe('ignored');
    expect(decodeKey('日本')).toEqual({ kind: 'text', text: '日本' });
  });

  it('cuts a run typed faster than a read at its control characters; line breaks stay in the text', () => {
    expect(decodeKeys('ab\x7f_\x17c')).toEqual([{ kind: 'text', text: 'ab' }, { kind: 'backspace' }, { kind: 'text', text: '_' }, { kind: 'killWordBack' }, { kind: 'text', text: 'c' }]);
    expect(decodeKeys('line one\rline two')).toEqual([{ kind: 'text', text: 'line one\rline two' }]);
    expect(decodeKeys('\x7f')).toEqual([{ kind: 'backspace' }]);
  });
});

describe('streamed message tail', () => {
  it('keeps the last lines that fit, marking the cut', () => {
    expect(tailRows('a\nb\nc', 10, 3)).toBe('a\nb\nc');
    // The mark takes a row of the three.
    expect(tailRows('a\nb\nc\nd', 10, 3)).toBe('…\nc\nd');
    // A 25-column line takes 3 rows of 10 columns.
    expect(tailRows(`x\n${'y'.repeat(25)}`, 10, 4)).toBe(`x\n${'y'.repeat(25)}`);
    expect(tailRows(`w\nx\n${'y'.repeat(25)}`, 10, 4)).toBe(`…\n${'y'.repeat(25)}`);
    // One line taller than the area: its last rows.
    expect(tailRows(`x\n${'a'.repeat(30)}${'z'.repeat(20)}`, 10, 3)).toBe(`…\n${'z'.repeat(20)}`);
    expect(tailRows('日'.repeat(30), 10, 3)).toBe(`…\n${'日'.repeat(10)}`);
  });
});
