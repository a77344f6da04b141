import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter, recordsOfLine } from './lines.js';
import { snippetAround, compileNeedle, findInContent } from './search/match.js';
import { FoldScanner, foldScanModule } from './search/fold-scan.js';

const record = fc
  .record({
    ordinal: fc.nat(),
    type: fc.constantFrom('session_meta', 'response_item', 'event_msg', 'turn_context', 'compacted', 'world_state', 'token_usage_record', 'future_kind'),
    payload: fc.dictionary(fc.string(), fc.oneof(fc.string({ unit: 'grapheme' }), fc.integer(), fc.boolean())),
  })
  .map((r) => `{"timestamp":"2026-01-01T00:00:00.000Z","ordinal":${r.ordinal},"type":${JSON.stringify(r.type)},"payload":${JSON.stringify(r.payload)},"extra_field":[1,{"z":null}]}`);

describe('line splitting', () => {
  it('keeps every line byte-exact whatever the chunking (unknown kinds and fields included)', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 10 }), (lines, cuts) => {
        const bytes = Buffer.from(lines.map((l) => l + '\n').join(''), 'utf8');
        const got: string[] = [];
        const s = new LineSplitter((line) => {
          for (const r of recordsOfLine(line).records) got.push(r.raw);
        });
        let at = 0;
        for (let i = 0; at < bytes.length; i++) {
          const n = cuts[i % cuts.length]!;
          s.push(bytes.subarray(at, at + n));
          at += n;
        }
        s.end();
        expect(got).toEqual(lines);
      }),
    );
  });

  it('a torn line keeps the records that follow the tear', () => {
    fc.assert(
      fc.property(record, record, fc.nat(), (a, b, k) => {
        const cut = 1 + (k % (a.length - 1));
        const { records, damage } = recordsOfLine(a.slice(0, cut) + b);
        expect(damage).toBe('torn');
        expect(records.map((r) => r.raw).at(-1)).toBe(b);
      }),
    );
  });
});

describe('search matching', () => {
  it('finds message text case-insensitively, not other fields, and cuts ~48/96 chars around', () => {
    const meta = '{"timestamp":"t","type":"session_meta","payload":{"id":"x","base_instructions":{"text":"Needle in instructions"}}}';
    const fn = '{"timestamp":"t","type":"response_item","payload":{"type":"function_call_output","output":"needle in tool output"}}';
    const user = `{"timestamp":"t2","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":${JSON.stringify('a'.repeat(100) + ' NeEdLe "quoted"\n' + 'b'.repeat(200))}}]}}`;
    const buf = Buffer.from([meta, fn, user].join('\n') + '\n');
    const hit = findInContent(buf, compileNeedle('needle "QUOTED"'));
    expect(hit).toMatchObject({ role: 'user', timestamp: 't2' });
    expect(hit!.snippet).toBe('…' + 'a'.repeat(47) + ' NeEdLe "quoted" ' + 'b'.repeat(95) + '…');
    expect(findInContent(buf, compileNeedle('instructions'))).toBeUndefined();
    expect(findInContent(buf, compileNeedle('tool output'))).toBeUndefined();
    expect(snippetAround('short text', 0, 5)).toBe('short text');
  });
});

describe('search scanner (SIMD, ASCII queries)', () => {
  const scannerFor = (q: string) => new FoldScanner(foldScanModule(), Buffer.from(q, 'latin1'));
  const regexIndex = (hay: string, q: string, from: number) => {
    const re = new RegExp(q.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'), 'gi');
    re.lastIndex = from;
    return re.exec(hay)?.index ?? -1;
  };

  it('finds what a case-insensitive regex finds, at every offset, length and block boundary', () => {
    // Letters, their neighbours across the 0x20 bit ('@'/'`', '['/'{'), and Latin-1 letters in the text
    // (an ASCII query never matches them, in the regex either).
    const ascii = ['a', 'A', 'b', 'B', '@', '`', '[', '{', '-', ' ', '\n', 'z', 'Z'];
    const unit = fc.constantFrom(...ascii, '\xe9', '\xc9');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 90 }), fc.string({ unit: fc.constantFrom(...ascii), minLength: 1, maxLength: 20 }), fc.nat(), (hay, q, f) => {
        const from = f % (hay.length + 1);
        const s = scannerFor(q);
        expect(s.findIn(Buffer.from(hay, 'latin1'), from)).toBe(regexIndex(hay, q, from));
      }),
      { numRuns: 3000, seed: 169 },
    );
  });

  it('searches in place in its own memory, across growth of either region', () => {
    const s = scannerFor('KumQuat');
    const text = 'x'.repeat(70_000) + 'kumquaT' + 'y'.repeat(17);
    s.src(200_000).fill(0x41); // src growth moves dst
    const dst = s.dst(Buffer.byteLength(text));
    dst.write(text, 'latin1');
    expect(s.holds(dst)).toBe(true);
    expect(s.find(dst.length, 0)).toBe(70_000);
    expect(s.find(dst.length, 70_001)).toBe(-1);
    const bigger = s.dst(3 << 20); // dst growth keeps its bytes
    expect(bigger.toString('latin1', 70_000, 70_007)).toBe('kumquaT');
    expect(s.src(200_000)[199_999]).toBe(0x41); // and src's
    // Bytes elsewhere are copied in first.
    expect(s.findIn(Buffer.from('..KUMQUAT'), 0)).toBe(2);
    expect(s.findIn(Buffer.from('kumqua'), 0)).toBe(-1);
  });

  it('never loses a message match, in either case', () => {
    expect(compileNeedle('ünï').scanner).toBeUndefined();
    expect(compileNeedle('pineapple').scanner).toBeDefined();
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'B', '-', '7', ' ', '"', 'z'), minLength: 1, maxLength: 12 }), fc.boolean(), (q, flip) => {
        const text = `xx ${flip ? q.toUpperCase() : q.toLowerCase()} yy`;
        const line = JSON.stringify({ timestamp: 't', type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
        const meta = '{"timestamp":"t","type":"session_meta","payload":{"id":"x"}}';
        expect(findInContent(Buffer.from(meta + '\n' + line + '\n'), compileNeedle(q))).toBeDefined();
      }),
    );
  });
});
