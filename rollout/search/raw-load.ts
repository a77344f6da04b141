// The fast path's one door: load a rollout's bytes into a thread's working memory (the scanner's,
// see fold-scan.ts), or say "fall back". RawLoader reads with libc and decodes with libzstd
// (native/raw-io.ts says why libzstd) by plain addresses into that memory. Anything unusual (an
// error of any kind, a damaged or multi-frame .zst, a huge file) is FALL_BACK, and the caller
// takes the careful path (careful.ts), which reads with node's fs and the zstd addon and words the
// warning. Both threads of a search (search.ts, helper-thread.ts) load through this class.
import { RAW_OPEN_READ, type RawIo, type RawZstd } from '../../native/index.js';

/** What load() returns when the careful path must take the file. */
export const FALL_BACK = -1;

/** Loads one file at a time into the thread's working memory, for the scanner to search in place. */
export interface ContentLoader {
  /** Reads (and decodes) a file into the content region: its length, or FALL_BACK. */
  load(path: string, compressed: boolean): number;
  /** The content loaded last, as a view (valid until the next load). */
  content(n: number): Buffer;
  /** The whole content region, without a new view: the content is its first n bytes. */
  region(): Uint8Array;
  /** Offset of the first line feed in the first n bytes of content, or -1. */
  firstLineEnd(n: number): number;
}

/** A thread's reusable memory: a region for a compressed file's bytes and one for the content. */
export interface LoadRegions {
  /** A view of n bytes of the region (growing it when needed, keeping its bytes; growing src may lose dst's). */
  src(n: number): Buffer;
  dst(n: number): Buffer;
  capacity(region: 'src' | 'dst'): number;
  /** Bumped whenever the memory grows: views and addresses taken before are stale. */
  readonly growth: number;
}

export class RawLoader implements ContentLoader {
  private seen = -1;
  private srcAt = 0;
  private dstAt = 0;
  private dstView: Buffer = Buffer.alloc(0);

  /** `maxSize`: the largest decoded size taken here (larger files go the careful way). */
  constructor(
    private readonly io: RawIo,
    private readonly ws: LoadRegions,
    private readonly maxSize: number,
  ) {
    ws.src(1 << 16);
    ws.dst(1 << 20);
  }

  /** Whether compressed files can be decoded here (libzstd is there). */
  get decodes(): boolean {
    return this.io.zstd !== undefined;
  }

  load(path: string, compressed: boolean): number {
    const zstd = this.io.zstd;
    if (compressed && !zstd) return FALL_BACK;
    const fd = this.io.open(path, RAW_OPEN_READ);
    if (fd < 0) return FALL_BACK;
    let n: number;
    try {
      n = this.readAll(fd, compressed);
    } finally {
      this.io.close(fd);
    }
    if (!zstd || !compressed) return n;
    return n <= 0 ? FALL_BACK : this.decode(zstd, n);
  }

  content(n: number): Buffer {
    this.refresh();
    return this.dstView.subarray(0, n);
  }

  region(): Uint8Array {
    this.refresh();
    return this.dstView;
  }

  firstLineEnd(n: number): number {
    this.refresh();
    const at = this.dstView.indexOf(10);
    return at < n ? at : -1;
  }

  /** Decodes the n bytes of src into dst. */
  private decode(zstd: RawZstd, n: number): number {
    this.refresh();
    const size = zstd.frameSize(this.srcAt, n);
    // Unknown size or an error (2^64-1, 2^64-2) comes back as a bigint.
    if (typeof size !== 'number' || size === 0 || size > this.maxSize) return FALL_BACK;
    if (size > this.ws.capacity('dst')) this.ws.dst(size);
    this.refresh();
    // Several frames or damage: the careful path decodes again and words the warning.
    return zstd.decode(this.dstAt, size, this.srcAt, n) === size ? size : FALL_BACK;
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
      const r = this.io.read(fd, (compressed ? this.srcAt : this.dstAt) + n, cap - n);
      if (r < 0) return FALL_BACK;
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
    this.srcAt = this.io.address(this.ws.src(this.ws.capacity('src')));
    this.dstView = this.ws.dst(this.ws.capacity('dst'));
    this.dstAt = this.io.address(this.dstView);
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
