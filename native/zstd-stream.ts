// Streaming zstd decoding with the system libzstd (ZSTD_decompressStream through koffi), for
// readers that must stop early: a listing's head reads at most 2 MiB of decoded bytes, so a 50 MiB
// rollout costs it one or two compressed chunks, not the whole file. Why libzstd: see zstd.ts.
import { koffi } from './koffi.js';

/** A libzstd error (ZSTD_getErrorName's text), or the end of input inside a frame. */
export class ZstdStreamError extends Error {
  constructor(
    message: string,
    readonly truncated = false,
  ) {
    super(message);
  }
}

/** What a decoder has left after `push`: stopped by the consumer, between frames, or inside one. */
export type ZstdPushResult = 'stopped' | 'frame-end' | 'mid-frame';

/**
 * One libzstd decompression stream (a DCtx) with its reused output buffer. Frames written one after
 * another (a multi-frame file, skippable frames) decode as one content.
 */
export interface ZstdStreamDecoder {
  /**
   * Decodes all of `input`, handing each filled stretch of output to `onOut` — a view of memory
   * reused by the next call, valid only during the call; `onOut` returns false to stop at once.
   * Throws ZstdStreamError on corrupt data.
   */
  push(input: Uint8Array, onOut: (decoded: Buffer) => boolean): ZstdPushResult;
  /** Gives the stream back for the next file (reset, kept for reuse). */
  release(): void;
}

interface Lib {
  create: () => unknown;
  reset: (ds: unknown, how: number) => number | bigint;
  decompress: (ds: unknown, out: number, inp: number) => number | bigint;
  errorName: (code: number | bigint) => string;
  outSize: number;
  address: (b: Uint8Array) => number;
}

let lib: Lib | null | undefined;

function bind(): Lib | undefined {
  if (lib !== undefined) return lib ?? undefined;
  try {
    const k = koffi();
    const z = k.load('libzstd.so.1');
    const f = <T>(decl: string) => z.func(decl) as unknown as T;
    lib = {
      create: f('void *ZSTD_createDStream(void)'),
      reset: f('size_t ZSTD_DCtx_reset(void *dctx, int reset)'),
      // ZSTD_outBuffer / ZSTD_inBuffer are passed as addresses of memory laid out here (three
      // size_t each): no struct marshalling per call.
      decompress: f('size_t ZSTD_decompressStream(void *zds, intptr_t output, intptr_t input)'),
      errorName: f('const char *ZSTD_getErrorName(size_t code)'),
      outSize: Number(f<() => number>('size_t ZSTD_DStreamOutSize(void)')()),
      address: (b) => Number(k.address(b)),
    };
  } catch {
    lib = null;
  }
  return lib ?? undefined;
}

/**
 * Streams kept for reuse (a stream keeps its window buffer, sized by the last frame: up to 8 MiB
 * for level 19, ~2 MiB for level 3). A head is read without a pause, so a listing uses one or two.
 */
const idle: Decoder[] = [];
const IDLE_MAX = 4;
/** ZSTD_reset_session_only: keeps parameters and buffers, forgets the frame in progress (and any error). */
const RESET_SESSION = 1;

class Decoder implements ZstdStreamDecoder {
  private readonly out: Buffer;
  /** ZSTD_outBuffer {dst, size, pos} then ZSTD_inBuffer {src, size, pos}. */
  private readonly io = Buffer.alloc(48);
  private readonly view = new DataView(this.io.buffer, this.io.byteOffset, 48);
  private readonly outAt: number;
  private readonly inAt: number;

  constructor(
    private readonly z: Lib,
    private readonly ds: unknown,
  ) {
    this.out = Buffer.alloc(z.outSize);
    this.outAt = z.address(this.io);
    this.inAt = this.outAt + 24;
    this.view.setBigUint64(0, BigInt(z.address(this.out)), true);
    this.view.setBigUint64(8, BigInt(this.out.length), true);
  }

  push(input: Uint8Array, onOut: (decoded: Buffer) => boolean): ZstdPushResult {
    const v = this.view;
    v.setBigUint64(24, BigInt(input.length ? this.z.address(input) : 0), true);
    v.setBigUint64(32, BigInt(input.length), true);
    v.setBigUint64(40, 0n, true);
    let hint: number | bigint = 1;
    for (;;) {
      v.setBigUint64(16, 0n, true);
      hint = this.z.decompress(this.ds, this.outAt, this.inAt);
      // size_t errors are (size_t)-code: beyond 2^53, so koffi hands them back as bigints.
      if (typeof hint === 'bigint') throw new ZstdStreamError(this.z.errorName(hint));
      const produced = Number(v.getBigUint64(16, true));
      if (produced > 0 && !onOut(this.out.subarray(0, produced))) return 'stopped';
      // All input taken and the output not filled: everything decodable so far has been handed out.
      if (Number(v.getBigUint64(40, true)) === input.length && produced < this.out.length) break;
    }
    return hint === 0 ? 'frame-end' : 'mid-frame';
  }

  release(): void {
    this.z.reset(this.ds, RESET_SESSION);
    if (idle.length < IDLE_MAX) idle.push(this);
  }
}

/**
 * A streaming decoder, or undefined where libzstd.so.1 cannot be loaded (callers then decode with
 * the addon, whole files at once).
 *
 * @example
 *   const d = zstdStreamDecoder();
 *   try { d?.push(chunk, (b) => (sink.push(Buffer.from(b)), true)); } finally { d?.release(); }
 */
export function zstdStreamDecoder(): ZstdStreamDecoder | undefined {
  const reused = idle.pop();
  if (reused) return reused;
  const z = bind();
  if (!z) return undefined;
  const ds = z.create();
  return ds ? new Decoder(z, ds) : undefined;
}
