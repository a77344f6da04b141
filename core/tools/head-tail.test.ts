import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeadTail } from './head-tail.js';

describe('HeadTail', () => {
  it('keeps everything that fits, byte for byte, however it is chunked', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 10 }), (chunks) => {
        const h = new HeadTail(400);
        for (const c of chunks) h.push(Buffer.from(c));
        const all = Buffer.concat(chunks.map((c) => Buffer.from(c)));
        expect(h.total).toBe(all.length);
        expect(h.omitted).toBe(0);
        expect(h.text()).toBe(all.toString('utf8'));
      }),
    );
  });

  it('over budget: the first and last halves survive, the cut is counted, memory stays bounded', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 300 }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 2, max: 200 }), (parts, budget) => {
        const h = new HeadTail(budget);
        for (const p of parts) h.push(Buffer.from(p, 'latin1'));
        const all = Buffer.from(parts.join(''), 'latin1');
        const head = Math.floor(budget / 2);
        if (all.length <= budget) return;
        expect(h.omitted).toBe(all.length - budget);
        const kept = (h as unknown as { head: Buffer[]; tail: Buffer[] });
        expect(Buffer.concat(kept.head)).toEqual(all.subarray(0, head));
        expect(Buffer.concat(kept.tail)).toEqual(all.subarray(all.length - (budget - head)));
        expect(h.text()).toContain(`${all.length - budget} bytes`);
      }),
    );
  });

  it('seq 1 300000 through a 10 000-byte budget: head, marker, the real end', () => {
    const h = new HeadTail(10_000);
    let line = '';
    for (let i = 1; i <= 300_000; i++) {
      line += `${i}\n`;
      if (line.length > 4096) {
        h.push(Buffer.from(line));
        line = '';
      }
    }
    h.push(Buffer.from(line));
    const t = h.text();
    expect(t.startsWith('1\n2\n3\n')).toBe(true);
    expect(t.endsWith('299999\n300000\n')).toBe(true);
    expect(t).toMatch(/\[… 1978895 bytes \(about 494724 tokens\) cut from the middle of 1988895 …\]/);
    h.reset();
    expect(h.text()).toBe('');
    expect(h.total).toBe(0);
  });

  it('withBudget: a smaller budget keeps the first and last bytes and counts everything cut', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), fc.integer({ min: 20, max: 400 }), fc.integer({ min: 2, max: 400 }), (text, big, small) => {
        const all = Buffer.from(text, 'latin1');
        const h = new HeadTail(big);
        h.push(all);
        const s = h.withBudget(small);
        const direct = new HeadTail(Math.min(big, small));
        direct.push(all);
        expect(s.text()).toBe(direct.text());
        expect(s.omitted).toBe(direct.omitted);
      }),
    );
  });
});
