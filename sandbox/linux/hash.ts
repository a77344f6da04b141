// A short stable name from a path (cache directories, lock files). node:crypto is loaded on first
// use, not at every sandboxed start (it costs a few ms to load).
import { nodeBuiltin } from '../../native/index.js';

/** The first `chars` hex digits of the SHA-256 of `text`. */
export function sha256Hex(text: string, chars: number): string {
  return nodeBuiltin<typeof import('node:crypto')>('node:crypto').createHash('sha256').update(text).digest('hex').slice(0, chars);
}
