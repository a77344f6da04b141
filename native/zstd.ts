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
