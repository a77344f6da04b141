// core/ui/early: the picker's lines (what Ink's Picker draws and what `codex resume` paints before
// Ink is loaded), their cutting to the terminal's width, the hand-over to Ink's first frame, and
// the build's cuts in Ink's text measuring (scripts/ink-cjs.mjs), checked against the real
// string-width and Intl.Segmenter they stand in for.
import { EventEmitter } from 'node:events';
import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import stringWidth from '../../node_modules/ink/node_modules/string-width/index.js';
import { NARROW, inkForCjs } from '../../scripts/ink-cjs.mjs';
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tokenizer from '@alcalzone/ansi-tokenize';
import { Picker, ansiOf as ansiOfLines, colorOn, fitWidth, paintFirstPage, pickerScreen, type PickerRow } from '../../core/ui/index.js';
import { tempDir } from '../helpers/bin.js';
import { idFor, metaLine, userLine, writeSession } from '../rollout/store-gen.js';

// Keys are not read here: stdin stays as it is.
const notATerminal = { isTTY: false } as unknown as NodeJS.ReadStream;
const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
const row = (n: number, text = `message ${n}`): PickerRow => ({ id: `id-${n}`, when: '2026-02-01 00:00', cwd: `/p/${n}`, provider: 'mock', text });

describe('picker lines', () => {
  it('are cut to the width by display columns (wide characters count two), ending in …', () => {
    expect(fitWidth('abcdef', 4)).toEqual({ text: 'abc…', width: 4, cut: true });
    expect(fitWidth('abcd', 4)).toEqual({ text: 'abcd', width: 4, cut: false });
    expect(fitWidth('日本語テキスト', 7)).toEqual({ text: '日本語…', width: 7, cut: true });
    expect(fitWidth('e\u0301te\u0301', 3)).toEqual({ text: 'e\u0301te\u0301', width: 3, cut: false });
    expect(fitWidth('a\x1b[31mb', 10).text).toBe('a [31mb'); // a session's text cannot restyle the screen
    for (const s of ['日本語テキスト', 'naïve café', 'emoji 🎉 party', 'e\u0301te\u0301', 'Ελληνικά кириллица', '한국어 텍스트']) {
      expect(fitWidth(s, 100).width, s).toBe(stringWidth(s));
    }
  });

  it('show the title, the search line, and the page with the selection', () => {
    const rows = Array.from({ length: 60 }, (_, n) => row(60 - n));
    const lines = pickerScreen({ query: '', archived: false, rows, busy: false, sel: 1 }, 80, 5, '/home/u');
    const text = ansiOfLines(lines, false).split('\n');
    expect(text[0]).toBe('Resume a session  type to search · ↑/↓ · Enter resume · Tab archived · Esc cancel'.slice(0, 79) + '…');
    expect(text[1]).toBe('search:    60+ sessions');
    expect(text.slice(2, 7).map((l) => /message (\d+)/.exec(l)?.[1])).toEqual(['60', '59', '58', '57', '56']);
    expect(text[3]).toMatch(/^› /);
    expect(lines[3]!.inverse).toBe(true);
    for (const l of text) expect(stringWidth(l)).toBeLessThanOrEqual(80);
    expect(ansiOfLines(pickerScreen({ query: 'zz', archived: true, rows: [], busy: false, sel: 0 }, 80, 5), false)).toBe('Resume a session (archived)  type to search · ↑/↓ · Enter resume · Tab archived…\nsearch: zz   0 sessions\nno session matches\n');
  });

  it('Ink draws exactly the painted text (no change at the hand-over)', async () => {
    const home = tempDir('early-home-');
    for (let n = 0; n < 8; n++) {
      const id = idFor(n);
      writeSession(home, `2026-02-01T00-00-0${n}`, id, [metaLine(id, `/p/${n}`), userLine(n === 3 ? '日本語のメッセージ ' + 'x'.repeat(120) : `message ${n}`)]);
    }
    const out = new FakeTerminal(100, 12);
    const first = await paintFirstPage(home, out.stream(), notATerminal);
    expect(first).toBeDefined();
    const r = render(React.createElement(Picker, { home, pageSize: 6, initialRows: first!.rows, onSelect: () => undefined, onCancel: () => undefined }));
    // ink-testing-library's stdout is 100 columns wide, like the fake terminal.
    expect(strip(r.lastFrame() ?? '')).toBe(strip(out.text).replace(/\n$/, ''));
    r.unmount();
  });
});

describe('first page painted before Ink', () => {
  function store(): string {
    const home = tempDir('early-home-');
    for (let n = 0; n < 3; n++) {
      const id = idFor(n);
      writeSession(home, `2026-02-01T00-00-0${n}`, id, [metaLine(id, `/p/${n}`), userLine(`message ${n}`)]);
    }
    return home;
  }

  it("is erased by Ink's first frame in the same write; a resize paints it again on a cleared screen", async () => {
    const term = new FakeTerminal(100, 12);
    const first = await paintFirstPage(store(), term.stream(), notATerminal);
    const painted = term.text;
    expect(strip(painted).split('\n').slice(0, 5)).toEqual([expect.stringMatching(/^Resume a session/), 'search:    3 sessions', expect.stringMatching(/^› .*message 2$/), expect.stringMatching(/^ {2}.*message 1$/), expect.stringMatching(/^ {2}.*message 0$/)]);
    expect(painted.includes('\x1b[')).toBe(colorOn(process.env)); // styled when Ink's colour library would style
    term.resize(40, 12);
    expect(term.text.slice(painted.length)).toMatch(/^\x1b\[2J\x1b\[H/);
    expect(strip(term.text.slice(painted.length)).split('\n').every((l) => stringWidth(l) <= 40)).toBe(true);
    first!.handOff();
    const s = term.stream();
    s.write('\x1b[?25l'); // Ink's cursor hide comes first: no line end, passed as it is
    s.write('frame\n');
    s.write('next\n');
    expect(term.writes.slice(-3)).toEqual(['\x1b[?25l', '\r\x1b[5A\x1b[Jframe\n', 'next\n']);
    term.resize(50, 12); // after the hand-over, resizes are Ink's
    expect(term.writes.at(-1)).toBe('next\n');
  });
});

describe("the build's cuts in Ink's text measuring", () => {
  const narrow = new RegExp(NARROW.slice(1, -1));
  const chars: string[] = [];
  for (let cp = 0x20; cp < 0x2600; cp++) if (narrow.test(String.fromCodePoint(cp))) chars.push(String.fromCodePoint(cp));

  it('each narrow character is one column wide (string-width) and a grapheme of its own (Intl.Segmenter)', () => {
    expect(chars.length).toBeGreaterThan(1000);
    const seg = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    for (const c of chars) expect(stringWidth(c), `U+${c.codePointAt(0)!.toString(16)}`).toBe(1);
    // Pairs of them, with ESC and BEL (escape sequences): never joined into one grapheme.
    const pool = [...chars, '\x1b', '\x07'];
    let text = '';
    for (let i = 0; i < 4000; i++) text += pool[(i * 7919) % pool.length];
    expect([...seg.segment(text)].length).toBe(text.length);
    const plain = text.replace(/[\x1b\x07]/g, '');
    expect(stringWidth(plain)).toBe(plain.length);
  });
});

describe("Ink's text libraries as bundled (scripts/ink-cjs.mjs cuts)", () => {
  it('measure and restyle text exactly as the libraries themselves', async () => {
    const dir = tempDir('ink-cuts-');
    const out = path.join(dir, 'cut.mjs');
    await build({
      stdin: { contents: "export * from '@alcalzone/ansi-tokenize'; export { default as stringWidth } from 'string-width';", resolveDir: path.join(process.cwd(), 'node_modules', 'ink'), loader: 'js' },
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: out,
      logLevel: 'silent',
      plugins: [inkForCjs as never],
    });
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain('shared ??='); // the cuts are in
    expect(text).toContain('CodexLazySegmenter');
    const cut = await import(pathToFileURL(out).href);
    const lines = [
      '\x1b[1mResume a session\x1b[22m\x1b[2m  type to search · ↑/↓ · Enter resume\x1b[22m',
      '\x1b[7m› \x1b[2m2026-12-02 16:15  ~/p  \x1b[22mtask 1: fix the test…\x1b[27m',
      '\x1b[36msearch: \x1b[39mq\x1b[7m \x1b[27m\x1b[2m  searching…\x1b[22m',
      '  \x1b[2m2026-12-02\x1b[22m 日本語のメッセージ 🎉 e\u0301 \x1b[31;1mred bold\x1b[0m plain',
      'no styles at all, ascii only',
      '\x1b[38;5;123mx\x1b[39m\x1b[48;2;1;2;3my\x1b[49m 한국어 \u200d👩\u200d💻',
    ];
    for (const l of lines) {
      expect(cut.styledCharsToString(cut.styledCharsFromTokens(cut.tokenize(l))), l).toBe(tokenizer.styledCharsToString(tokenizer.styledCharsFromTokens(tokenizer.tokenize(l))));
      expect(cut.stringWidth(l), l).toBe(stringWidth(l));
    }
  });
});

/** A terminal stand-in: a write stream with a size that records what is written and can resize. */
class FakeTerminal extends EventEmitter {
  writes: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  get text(): string {
    return this.writes.join('');
  }
  private s?: NodeJS.WriteStream;
  stream(): NodeJS.WriteStream {
    if (!this.s) {
      const self = this;
      const s = Object.assign(this, {
        isTTY: true,
        write(chunk: string) {
          self.writes.push(chunk);
          return true;
        },
      });
      this.s = s as unknown as NodeJS.WriteStream;
    }
    return this.s;
  }
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}
