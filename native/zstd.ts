import { loadAddon } from './assets.js';
import { koffi } from './koffi.js';

interface ZstdAddon {
  compress(data: Buffer, level?: number | null): Promise<Buffer>;
  decompress(data: Buffer): Promise<Buffer>;
}

/** zstd compress at an explicit level (the addon's JS wrapper ignores the level; the binding honours it). */
export function zstdCompress(data: Buffer, level = 3): Promise<Buffer> {
  return loadAddon<ZstdAddon>('zstd').compress(data, level);
}

export function zstdDecompress(data: Buffer): Promise<Buffer> {
  return loadAddon<ZstdAddon>('zstd').decompress(data);
}

/**
 * Direct one-shot decoding with the system libzstd (through koffi, synchronous), into a caller-owned
 * buffer of the frame's declared size: about 3× faster than the addon's streaming decode, which
 * grows a Vec and copies it into a new Buffer. Optional: undefined when libzstd.so.1 cannot be loaded.
 */
export interface ZstdInto {
  /** Declared decoded size of the first frame, or undefined when absent or not a zstd frame. */
  contentSize(src: Buffer): number | undefined;
  /** Decodes `src` into `dst`; the decoded length, or undefined on any zstd error. */
  decompressInto(src: Buffer, dst: Buffer): number | undefined;
}

let into: ZstdInto | null | undefined;

export function zstdInto(): ZstdInto | undefined {
  if (into === undefined) into = loadInto();
  return into ?? undefined;
}

function loadInto(): ZstdInto | null {
  // CODEX_TS_SYSTEM_ZSTD=0 keeps to the embedded addon (and lets tests cover that path).
  if (process.env.CODEX_TS_SYSTEM_ZSTD === '0') return null;
  try {
    const lib = koffi().load('libzstd.so.1');
    const frameSize = lib.func('uint64_t ZSTD_getFrameContentSize(const void *src, size_t srcSize)');
    const createDCtx = lib.func('void *ZSTD_createDCtx(void)');
    const decompressDCtx = lib.func('size_t ZSTD_decompressDCtx(void *dctx, void *dst, size_t dstCapacity, const void *src, size_t srcSize)');
    // One decoding context for the process: ZSTD_decompress would allocate (mmap) and free one per
    // call, i.e. ~100 KiB of fresh pages faulted in for every file.
    const dctx: unknown = createDCtx();
    if (!dctx) return null;
    const decompress = (dst: Buffer, cap: number, src: Buffer, len: number): unknown => decompressDCtx(dctx, dst, cap, src, len);
    return {
      contentSize(src) {
        const n = frameSize(src, src.length) as number | bigint;
        // ZSTD_CONTENTSIZE_UNKNOWN / _ERROR are 2^64-1 / 2^64-2: beyond any safe integer.
        return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
      },
      decompressInto(src, dst) {
        const r = decompress(dst, dst.length, src, src.length) as number | bigint;
        // Error codes are the top ~100 values of size_t, beyond any capacity.
        return typeof r === 'number' && r <= dst.length ? r : undefined;
      },
    };
  } catch {
    return null;
  }
}
