import { describe, expect, it } from 'vitest';
import { updatedContent } from './compute.js';
import { Content } from './content.js';
import { parsePatch } from './parser.js';
import { seekSequence } from './seek.js';
import { SourceText } from './text.js';

function update(file: string, body: string): string {
  const [h] = parsePatch(`*** Begin Patch\n*** Update File: f\n${body}\n*** End Patch`).hunks;
  if (h?.type !== 'update') throw new Error('not an update');
  return updatedContent(Content.of(file), h.chunks, 'f').text;
}

/** The same through an ASCII file's bytes (the path files read from disk take). */
function updateBytes(file: string, body: string): string {
  const [h] = parsePatch(`*** Begin Patch\n*** Update File: f\n${body}\n*** End Patch`).hunks;
  if (h?.type !== 'update') throw new Error('not an update');
  return updatedContent(Content.ascii(Buffer.from(file, 'latin1')), h.chunks, 'f').text;
}

describe('seekSequence', () => {
  const src = new SourceText('foo   \n  bar\t\nrange 1–10\nfoo\n');
  it('tries exact, then trailing, then surrounding whitespace, then folded punctuation', () => {
    expect(seekSequence(src, ['foo'], 0, false)).toBe(3);
    expect(seekSequence(src, ['foo', '  bar'], 0, false)).toBe(0);
    expect(seekSequence(src, ['bar'], 0, false)).toBe(1);
    expect(seekSequence(src, ['range 1-10'], 0, false)).toBe(2);
    expect(seekSequence(src, ['foo'], 0, true)).toBe(3);
    expect(seekSequence(src, ['nothing'], 0, false)).toBeUndefined();
    expect(seekSequence(src, ['a', 'b', 'c', 'd', 'e'], 0, false)).toBeUndefined();
  });
  it('End of File never matches before the cursor', () => {
    const s = new SourceText('a\nb\n');
    expect(seekSequence(s, ['b'], 2, true)).toBeUndefined();
  });
});

describe('updatedContent', () => {
  it('keeps context lines as the file has them and each line ending', () => {
    expect(update('  a  \r\nb\r\nc\r\n', '@@\n a\n-b\n+B')).toBe('  a  \r\nB\r\nc\r\n');
    expect(update('x\na\rb\r\n', '@@\n a\n-b\n+B')).toBe('x\na\rB\n');
  });
  it('finds the first exact match when the file mixes line endings (the one-block search alone would miss it)', () => {
    // First terminator CRLF, so the block searched is "a\r\nb"; the earlier "a\nb" matches first.
    expect(update('x\r\na\nb\na\r\nb\r\n', '@@\n a\n-b\n+B')).toBe('x\r\na\nB\r\na\r\nb\r\n');
    expect(updateBytes('x\r\na\nb\na\r\nb\r\n', '@@\n a\n-b\n+B')).toBe('x\r\na\nB\r\na\r\nb\r\n');
    expect(updateBytes('x\r\na\nb\na\r\nb\r\n', '@@\n-a\n-b\n+c')).toBe('x\r\nc\r\na\r\nb\r\n');
    // LF only: the block is searched as a whole, and must start and end at line boundaries.
    expect(update('xa\nb\nab\na\nbc\na\nb\n', '@@\n a\n-b\n+B')).toBe('xa\nb\nab\na\nbc\na\nB\n');
    expect(update('a\nb', '@@\n a\n-b\n+B')).toBe('a\nB\n');
    expect(updateBytes('xa\nb\nab\na\nbc\na\nb\n', '@@\n a\n-b\n+B')).toBe('xa\nb\nab\na\nbc\na\nB\n');
    expect(updateBytes('a\nb', '@@\n a\n-b\n+B')).toBe('a\nB\n');
  });
  it('appends pure additions at the end, before later trailing additions at the same place', () => {
    expect(update('a\nb', '@@\n+x')).toBe('a\nb\nx\n');
    expect(update('a\nb\n', '+p\n@@\n b\n+q')).toBe('a\nb\np\nq\n');
  });
  it('retries without a trailing empty line', () => {
    expect(update('a\nb\n', '@@\n a\n-b\n+B\n ')).toBe('a\nB\n');
  });
  it('reports the first missing line and where the rest matched', () => {
    expect(() => update('one\ntwo\nthree\n', '@@\n one\n-too\n+2')).toThrow(/first 1 line\(s\) match at line 1, but then line 2 is "two" where the patch expects "too"/);
  });
});
