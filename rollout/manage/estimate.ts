// The compression ratio used by the storage report: a few plain rollouts spread over the store,
// each read up to a cap and compressed in memory at zstd level 3 (what the worker uses).
import * as fs from 'node:fs';
import { zstdCompress } from '../../native/index.js';
import type { CompressionEstimate } from './storage.js';
import { type StoreFile } from '../store/index.js';

/** Used only when there is no plain rollout to sample (and so nothing to save). */
export const DEFAULT_RATIO = 4;
const SAMPLE_FILES = 8;
const SAMPLE_CAP = 512 * 1024;

export async function estimateCompression(files: readonly StoreFile[]): Promise<CompressionEstimate> {
  const plain = files.filter((f) => f.rollout && !f.rollout.compressed && f.size > 0);
  if (plain.length === 0) return { ratio: DEFAULT_RATIO, method: 'default', sample_files: 0, sample_bytes: 0 };
  const picks: StoreFile[] = [];
  const step = plain.length / Math.min(SAMPLE_FILES, plain.length);
  for (let i = 0; i < plain.length && picks.length < SAMPLE_FILES; i += step) picks.push(plain[Math.floor(i)]!);
  let input = 0;
  let output = 0;
  let n = 0;
  for (const f of picks) {
    let buf: Buffer;
    try {
      const fd = fs.openSync(f.path, 'r');
      try {
        buf = Buffer.alloc(Math.min(f.size, SAMPLE_CAP));
        buf = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0));
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      continue; // unreadable or gone: the sample just gets smaller
    }
    if (buf.length === 0) continue;
    input += buf.length;
    output += (await zstdCompress(buf, 3)).length;
    n++;
  }
  if (n === 0 || output === 0) return { ratio: DEFAULT_RATIO, method: 'default', sample_files: 0, sample_bytes: 0 };
  return { ratio: input / output, method: 'sampled', sample_files: n, sample_bytes: input };
}
