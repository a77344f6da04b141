import { describe, expect, it } from 'vitest';
import { CodexError } from '../../protocol/index.js';
import { formatDuration, parseDuration } from './duration.js';

const H = 3_600_000;
const D = 24 * H;

describe('parseDuration', () => {
  it.each([
    ['30d', 30 * D],
    ['12h', 12 * H],
    ['2w', 14 * D],
    ['90m', 90 * 60_000],
    ['45s', 45_000],
    ['1y', 365 * D],
    ['6mo', 180 * D],
    ['1w2d', 9 * D],
    [' 7D ', 7 * D],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '30', 'd', '-3d', '3.5d', '3 d', '3x', '0d', 'abc', '30dd', '9999999999999999y'])('rejects %j with BAD_DURATION', (text) => {
    let err: unknown;
    try {
      parseDuration(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CodexError);
    expect((err as CodexError).code).toBe('BAD_DURATION');
    expect((err as CodexError).exitCode).toBe(2);
  });

  it('formats back', () => {
    expect(formatDuration(14 * D)).toBe('2w');
    expect(formatDuration(30 * D)).toBe('30d');
    expect(formatDuration(36 * H)).toBe('36h');
  });
});
