// The placeholder lock names are SHA-256 prefixes shared across versions: the hand-written SHA-256
// must agree with node:crypto on every length around the 64-byte block and padding edges, and on
// non-ASCII paths.
import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Words, sha256Hex } from '../../sandbox/linux/hash.js';

const reference = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const hex = (words: Uint32Array) => [...words].map((w) => w.toString(16).padStart(8, '0')).join('');
const sha256 = sha256Words;

describe('sha256 (sandbox/linux/hash.ts)', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(hex(sha256(new Uint8Array()))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256(Buffer.from('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with node:crypto for every length from 0 to 300 bytes', () => {
    for (let n = 0; n <= 300; n++) {
      const b = randomBytes(n);
      expect(hex(sha256(b)), `length ${n}`).toBe(reference(b));
    }
  });

  it('agrees with node:crypto on a long input (several blocks, length over 2^16 bits)', () => {
    const b = randomBytes(100_003);
    expect(hex(sha256(b))).toBe(reference(b));
  });

  it('sha256Hex hashes the UTF-8 of any path, as the lock names always were', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.integer({ min: 1, max: 64 }), (p, chars) => {
        expect(sha256Hex(p, chars)).toBe(createHash('sha256').update(p).digest('hex').slice(0, chars));
      }),
    );
    // The lock file name earlier versions (node:crypto) gave this placeholder path.
    expect(sha256Hex('/home/dev/project/.codex', 32)).toBe('53cde890e58ad5e011ea10ee4b0dfbab');
  });
});
