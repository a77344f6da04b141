// Search's fast path for getting a file's content into a thread's working memory: open/read/close
// and libzstd called through koffi with plain addresses into that memory. Per file there is no
// Buffer view, no Stats, no error object, no JS wrapper of node's fs: for a store of thousands of
// small files those cost more than the reading itself. Anything unusual (an error of any kind, a
// damaged or multi-frame .zst, a huge file) returns -1 and the caller takes the careful path
// (search.ts), which reads with node's fs and words the warning.
// RawLoader and BufferRegions are self-contained (no outer references): search-worker.ts runs
// their source text in the helper thread.
import { koffi } from './koffi.js';

/** A thread's reusable memory: a region for a compressed file's bytes and one for the content. */
export interface LoadRegions {
  /** A view of n bytes of the region (growing it when needed, keeping its bytes; growing src may lose dst's). */
  src(n: number): Buffer;
  dst(n: number): Buffer;
  capacity(region: 'src' | 'dst'): number;
  /** Bumped whenever the memory grows: views and addresses taken before are stale. */
  readonly growth: number;
}

/** The parts of koffi used here (the raw addon exports). */
interface KoffiLike {
  load(lib: string): { func(decl: string): (...args: unknown[]) => unknown };
  address(value: unknown): bigint;
}

export class RawLoader {
  private readonly open: (path: string, flags: number) => number;
  private readonly read: (fd: number, at: number, n: number) => number;
  private readonly close: (fd: number) => number;
  private readonly frameSize: ((at: number, n: number) => number | bigint) | undefined;
  private readonly decode: ((dst: number, cap: number, src: number, n: number) => number | bigint) | undefined;
  private seen = -1;
  private srcAt = 0;
  private dstAt = 0;
  private dstView: Buffer = Buffer.alloc(0);

  /** Throws when libc cannot be bound; without libzstd only plain files take this path. */
  constructor(
    private readonly koffi: KoffiLike,
    private readonly ws: LoadRegions,
    private readonly maxSize: number,
  ) {
    const libc = koffi.load('libc.so.6');
    this.open = libc.func('int open(const char *path, int flags)') as RawLoader['open'];
    this.read = libc.func('intptr_t read(int fd, intptr_t buf, size_t count)') as RawLoader['read'];
    this.close = libc.func('int close(int fd)') as RawLoader['close'];
    try {
      const z = koffi.load('libzstd.so.1');
      this.frameSize = z.func('uint64_t ZSTD_getFrameContentSize(intptr_t src, size_t srcSize)') as RawLoader['frameSize'];
      const decompress = z.func('size_t ZSTD_decompressDCtx(void *dctx, intptr_t dst, size_t dstCapacity, intptr_t src, size_t srcSize)');
      // One context per thread: ZSTD_decompress would allocate (mmap) and fault in ~100 KiB per file.
      const dctx = z.func('void *ZSTD_createDCtx(void)')();
      if (dctx) this.decode = (dst, cap, src, n) => decompress(dctx, dst, cap, src, n) as number | bigint;
    } catch {
      this.frameSize = undefined;
    }
    ws.src(1 << 16);
    ws.dst(1 << 20);
  }

  /** Whether compressed files can be decoded here. */
  get decodes(): boolean {
    return this.decode !== undefined;
  }

  /** Reads (and decodes) a file into the dst region: its content length, or -1 for the careful path. */
  load(path: string, compressed: boolean): number {
    if (compressed && !this.decode) return -1;
    // O_RDONLY | O_NONBLOCK | O_CLOEXEC: a FIFO with a rollout's name must not hang the search.
    const fd = this.open(path, 0o4000 | 0o2000000);
    if (fd < 0) return -1;
    let n: number;
    try {
      n = this.readAll(fd, compressed);
    } finally {
      this.close(fd);
    }
    if (!compressed || n <= 0) return compressed ? -1 : n;
    this.refresh();
    const size = this.frameSize!(this.srcAt, n);
    // Unknown size or an error (2^64-1, 2^64-2) comes back as a bigint.
    if (typeof size !== 'number' || size === 0 || size > this.maxSize) return -1;
    if (size > this.ws.capacity('dst')) this.ws.dst(size);
    this.refresh();
    // Several frames or damage: the careful path decodes again and words the warning.
    return this.decode!(this.dstAt, size, this.srcAt, n) === size ? size : -1;
  }

  /** The content loaded last, as a view (valid until the next load). */
  content(n: number): Buffer {
    this.refresh();
    return this.dstView.subarray(0, n);
  }

  /** Offset of the first line feed in the first n bytes of content, or -1. */
  firstLineEnd(n: number): number {
    this.refresh();
    const at = this.dstView.indexOf(10);
    return at < n ? at : -1;
  }

  private readAll(fd: number, compressed: boolean): number {
    const region = compressed ? 'src' : 'dst';
    let cap = this.ws.capacity(region);
    let n = 0;
    for (;;) {
      if (n === cap) {
        this.ws[region](Math.max(2 * n, 1 << 16));
        cap = this.ws.capacity(region);
      }
      this.refresh();
      const r = this.read(fd, (compressed ? this.srcAt : this.dstAt) + n, cap - n);
      if (r < 0) return -1;
      if (r === 0) return n;
      n += r;
      // A short read of a regular file ends at its end: no second read to see the 0. A .zst read
      // short for another reason fails to decode (and goes the careful way); a plain file is only
      // taken as whole when it ends with a line feed, as every complete rollout does.
      if (n < cap && (compressed || this.dstView[n - 1] === 10)) return n;
    }
  }

  private refresh(): void {
    if (this.seen === this.ws.growth) return;
    this.seen = this.ws.growth;
    this.srcAt = Number(this.koffi.address(this.ws.src(this.ws.capacity('src'))));
    this.dstView = this.ws.dst(this.ws.capacity('dst'));
    this.dstAt = Number(this.koffi.address(this.dstView));
  }
}

/** LoadRegions in two plain buffers (for queries the SIMD scanner does not take). */
export class BufferRegions implements LoadRegions {
  growth = 0;
  private s: Buffer = Buffer.allocUnsafeSlow(0);
  private d: Buffer = Buffer.allocUnsafeSlow(0);

  src(n: number): Buffer {
    if (n > this.s.length) this.s = this.grown(this.s, n, 1 << 16);
    return this.s.subarray(0, n);
  }

  dst(n: number): Buffer {
    if (n > this.d.length) this.d = this.grown(this.d, n, 1 << 20);
    return this.d.subarray(0, n);
  }

  capacity(region: 'src' | 'dst'): number {
    return (region === 'src' ? this.s : this.d).length;
  }

  private grown(b: Buffer, n: number, min: number): Buffer {
    // Own memory (not the pool's slab): its address is handed to native code.
    const bigger = Buffer.allocUnsafeSlow(Math.max(n, 2 * b.length, min));
    b.copy(bigger);
    this.growth++;
    return bigger;
  }
}

/** Whether RawLoader may be used here (koffi loads; not turned off): cheap to ask again. */
export function rawLoadPossible(): boolean {
  if (process.env.CODEX_TS_SYSTEM_ZSTD === '0') return false;
  try {
    koffi();
    return true;
  } catch {
    return false;
  }
}

/**
 * A RawLoader over `ws`, or undefined where it cannot work (koffi or libc missing, or
 * CODEX_TS_SYSTEM_ZSTD=0, which keeps search to node's fs and the embedded zstd addon and lets
 * tests cover that path).
 */
export function rawLoader(ws: LoadRegions, maxSize: number): RawLoader | undefined {
  if (!rawLoadPossible()) return undefined;
  try {
    return new RawLoader(koffi() as unknown as ConstructorParameters<typeof RawLoader>[0], ws, maxSize);
  } catch {
    return undefined;
  }
}
