// File reading and zstd decoding by plain addresses, for search's fast path (rollout/search/):
// open/read/close from libc and one-shot decoding from the system libzstd, called through koffi.
// Per file there is no Buffer, no Stats, no error object, no promise: for a store of thousands of
// small files those cost more than the reading itself.
//
// Why libzstd here (the zstd family, and why not the addon for this): see zstd.ts. Where libzstd
// is missing, search decodes with the addon (the slower way, same results).
// The main thread's instance is rawIo() in koffi.ts; this file imports nothing that loads, so a
// helper thread's bundle of it stays small.
import * as os from 'node:os';

/** libzstd's one-shot decoding with one reused context (ZSTD_decompress would map and fault in ~100 KiB per file). */
export interface RawZstd {
  /** ZSTD_getFrameContentSize: a number, or a bigint for "unknown" (2^64-1) and "error" (2^64-2). */
  frameSize(src: number, n: number): number | bigint;
  /** ZSTD_decompressDCtx into dst: the decoded size, or a bigint error code. */
  decode(dst: number, cap: number, src: number, n: number): number | bigint;
}

export interface RawIo {
  /** open(2); returns -1 on any error. */
  open(path: string, flags: number): number;
  /** read(2) into an address; -1 on error. */
  read(fd: number, at: number, n: number): number;
  close(fd: number): number;
  /** The address of a buffer's first byte (valid while the buffer's memory does not move). */
  address(b: Uint8Array): number;
  /** Undefined where libzstd.so.1 cannot be loaded. */
  zstd: RawZstd | undefined;
}

/** O_RDONLY | O_NONBLOCK | O_CLOEXEC: a FIFO with a rollout's name must not hang a search. */
export const RAW_OPEN_READ = 0o4000 | 0o2000000;

/** The parts of the raw koffi addon's exports used here (the main thread's koffi(), or a worker's own dlopen of the same file). */
interface KoffiLike {
  load(lib: string): { func(decl: string): unknown };
  address(value: unknown): bigint;
}

/** Binds RawIo through a koffi instance (the main thread's, or a helper thread's own). Throws without libc. */
export function bindRawIo(k: KoffiLike): RawIo {
  const libc = k.load('libc.so.6');
  return {
    // The koffi functions themselves (no wrapper): they are called several times per file.
    open: libc.func('int open(const char *path, int flags)') as unknown as RawIo['open'],
    read: libc.func('intptr_t read(int fd, intptr_t buf, size_t count)') as unknown as RawIo['read'],
    close: libc.func('int close(int fd)') as unknown as RawIo['close'],
    address: (b) => Number(k.address(b)),
    zstd: bindZstd(k),
  };
}

function bindZstd(k: KoffiLike): RawZstd | undefined {
  try {
    const z = k.load('libzstd.so.1');
    const frameSize = z.func('uint64_t ZSTD_getFrameContentSize(intptr_t src, size_t srcSize)') as unknown as RawZstd['frameSize'];
    const decompress = z.func('size_t ZSTD_decompressDCtx(void *dctx, intptr_t dst, size_t dstCapacity, intptr_t src, size_t srcSize)') as unknown as (...a: unknown[]) => number | bigint;
    const dctx = (z.func('void *ZSTD_createDCtx(void)') as unknown as () => unknown)();
    if (!dctx) return undefined;
    return { frameSize, decode: (dst, cap, src, n) => decompress(dctx, dst, cap, src, n) };
  } catch {
    return undefined;
  }
}

/**
 * RawIo for a worker thread: binds through the koffi addon file the main thread loaded and
 * verified (rawIo().koffiFile; a thread cannot share the main thread's instance). Throws without libc.
 */
export function rawIoFromFile(koffiFile: string): RawIo {
  const mod = { exports: {} as KoffiLike };
  process.dlopen(mod, koffiFile, os.constants.dlopen.RTLD_NOW);
  return bindRawIo(mod.exports);
}
