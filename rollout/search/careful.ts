// The careful path: whatever the fast path does not take (no libzstd, an error, damage, a huge or
// multi-frame .zst) is read with node's fs and decoded with the embedded zstd addon, which word the
// warning with the same codes as the reader's (one code per cause across commands).
import * as fs from 'node:fs';
import { zstdDecompress } from '../../native/index.js';
import type { StoreWarning } from '../warnings.js';
import type { LoadRegions } from './raw-load.js';

export type Loaded = { ok: true; content: Buffer } | { ok: false; warning: StoreWarning };

function ioWarning(path: string, e: unknown): Loaded {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EISDIR') return { ok: false, warning: { path, code: 'ROLLOUT_NOT_A_FILE', message: 'a directory, not a rollout file' } };
  return { ok: false, warning: { path, code: 'ROLLOUT_UNREADABLE', message: `cannot read: ${err.message}` } };
}

/** A plain file, to its end, into the dst region (no allocation per file). */
export function readPlain(ws: LoadRegions, path: string): Loaded {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    return ioWarning(path, e);
  }
  try {
    let buf = ws.dst(ws.capacity('dst'));
    let n = 0;
    for (;;) {
      if (n === buf.length) buf = ws.dst(Math.max(2 * n, 1 << 16));
      const r = fs.readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
    }
    return { ok: true, content: ws.dst(n) };
  } catch (e) {
    return ioWarning(path, e);
  } finally {
    fs.closeSync(fd);
  }
}

/** A .zst file, decoded by the addon on the libuv pool (a fresh buffer). */
export function loadCompressed(path: string): Promise<Loaded> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (e) {
    return Promise.resolve(ioWarning(path, e));
  }
  if (bytes.length === 0) return Promise.resolve({ ok: false, warning: { path, code: 'ROLLOUT_ZSTD_CORRUPT', message: 'empty .zst file' } });
  return zstdDecompress(bytes).then(
    (content): Loaded => ({ ok: true, content }),
    (e: unknown): Loaded => ({ ok: false, warning: { path, code: 'ROLLOUT_ZSTD_CORRUPT', message: `corrupt zstd data: ${(e as Error).message}` } }),
  );
}

/** Either form, the careful way. */
export function loadCarefully(ws: LoadRegions, path: string, compressed: boolean): Promise<Loaded> | Loaded {
  return compressed ? loadCompressed(path) : readPlain(ws, path);
}
