import { describe, expect, it } from 'vitest';
import { truncateForModel } from './truncate.js';

describe('truncateForModel', () => {
  it('keeps short output as is', () => {
    expect(truncateForModel('a\nb\n')).toBe('a\nb\n');
  });
  it('keeps head and tail of many lines, within 256 lines', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const out = truncateForModel(text);
    const lines = out.split('\n');
    expect(lines.length).toBeLessThanOrEqual(257);
    expect(lines[0]).toBe('line 0');
    expect(lines.at(-1)).toBe('line 999');
    expect(out).toContain('omitted 744 of 1000 lines');
  });
  it('caps bytes at about 10 KiB for few long lines, never splitting a UTF-8 character', () => {
    const text = 'é'.repeat(20_000) + '\nend';
    const out = truncateForModel(text);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(10 * 1024 + 100);
    expect(out).not.toContain('\uFFFD');
    expect(out.endsWith('end')).toBe(true);
  });
});
