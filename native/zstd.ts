// zstd: one decoder family, libzstd. Every byte of zstd this program reads or writes goes through
// libzstd, in one of two bindings of it:
// - the @mongodb-js/zstd addon (the specified package; it embeds libzstd): compression, and
//   whole-buffer decoding (materialize, export, verification, the search without libzstd.so.1);
// - the system libzstd.so.1 called through koffi where a binding must decode into memory it is
//   given: streaming (zstd-stream.ts: a listing's head stops after 2 MiB decoded, so a large
//   rollout costs a chunk or two, not a whole-file decode) and search's synchronous decoding on
//   two threads into reused memory (raw-io.ts). The addon offers neither: it only turns a whole
//   Buffer into a fresh Buffer through a promise on the libuv pool.
// Where libzstd.so.1 cannot be loaded, both fall back to the addon, which is always embedded: the
// results are the same, but a head then decodes its whole file. Same library, same format
// coverage (multi-frame and skippable frames, the same error names), so there is no second
// decoder whose bugs could differ (fzstd, a pure-JS decoder, was removed for that reason).
import { loadAddon } from './assets.js';

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
