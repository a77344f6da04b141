/**
 * n bytes from the system CSPRNG. Web crypto's getRandomValues loads node's crypto code when first
 * called; importing node:crypto would load it (~16 modules) at the start of every command that
 * merely imports the store, such as listing and search.
 */
export function randomBytes(n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  globalThis.crypto.getRandomValues(b);
  return b;
}

let lastMs = -1;
let seq = 0;

/**
 * A UUID v7 (time-ordered, like Codex thread ids), monotonic within one process even for calls
 * in the same millisecond.
 *
 * @example
 *   uuidv7(); // '019ae3c4-5f21-7a0b-8c3d-…'
 *   uuidv7() < uuidv7(); // true
 */
export function uuidv7(now: number = Date.now()): string {
  const b = randomBytes(16);
  if (now <= lastMs) {
    now = lastMs;
    seq = (seq + 1) & 0xfff;
    if (seq === 0) now = ++lastMs;
  } else {
    seq = b.readUInt16BE(6) & 0x7ff;
  }
  lastMs = now;
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
