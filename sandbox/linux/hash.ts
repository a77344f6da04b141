// A short stable name from a path (placeholder lock files, cache directories): the first hex digits
// of its SHA-256 (FIPS 180-4), computed here rather than with node:crypto, which takes ~2.5 ms to load
// at every workspace-write start of `codex sandbox` for a hash of a few dozen bytes. The names must
// stay the same across versions (a lock file is shared by every sandbox using a placeholder), so it
// is exactly SHA-256; test/sandbox-linux/hash.test.ts checks it against node:crypto.

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** SHA-256 of `bytes`, as its eight 32-bit words (rotations written out: this runs interpreted, at start). */
export function sha256Words(bytes: Uint8Array): Uint32Array {
  // The message as big-endian words, a 1 bit, zeros, and its length in bits (64-bit), to whole 16-word blocks.
  const m = new Uint32Array(Math.ceil((bytes.length + 9) / 64) * 16);
  for (let i = 0; i < bytes.length; i++) m[i >> 2] = m[i >> 2]! | (bytes[i]! << (24 - (i & 3) * 8));
  m[bytes.length >> 2] = m[bytes.length >> 2]! | (0x80 << (24 - (bytes.length & 3) * 8));
  m[m.length - 2] = Math.floor(bytes.length / 0x20000000);
  m[m.length - 1] = (bytes.length * 8) >>> 0;

  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  for (let block = 0; block < m.length; block += 16) {
    for (let i = 0; i < 16; i++) w[i] = m[block + i]!;
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15]!;
      const y = w[i - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = w[i - 16]! + s0 + w[i - 7]! + s1;
    }
    let [a, b, c, d, e, f, g, hh] = [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = h[0]! + a;
    h[1] = h[1]! + b;
    h[2] = h[2]! + c;
    h[3] = h[3]! + d;
    h[4] = h[4]! + e;
    h[5] = h[5]! + f;
    h[6] = h[6]! + g;
    h[7] = h[7]! + hh;
  }
  return h;
}

/** The first `chars` hex digits of the SHA-256 of `text` (UTF-8). */
export function sha256Hex(text: string, chars: number): string {
  let hex = '';
  for (const word of sha256Words(Buffer.from(text, 'utf8'))) hex += word.toString(16).padStart(8, '0');
  return hex.slice(0, chars);
}
