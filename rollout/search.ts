// Search over the message text of every rollout in scope, plain and compressed, newest first.
// Files are decoded in parallel (native zstd on the libuv pool) while matching runs in order.
import { readNameIndex } from './names.js';
import { compileNeedle, findInContent, type ContentHit } from './match.js';
import { readContent, ReadWarning } from './reader.js';
import { scopeEntries, type RolloutEntry, type Scope } from './scan.js';
import type { WarningSink } from './warnings.js';

export interface SearchOptions {
  scope?: Scope;
  /** Stop after this many sessions with a hit (default: all). */
  limit?: number;
  /** Files decoded at once (default 8). */
  parallel?: number;
  onWarning?: WarningSink;
}

export interface SearchHit extends ContentHit {
  id: string;
  path: string;
  archived: boolean;
  compressed: boolean;
  stamp: string;
  name: string | undefined;
}

export async function searchSessions(home: string, query: string, opts: SearchOptions = {}, onHit?: (h: SearchHit) => void): Promise<SearchHit[]> {
  const needle = compileNeedle(query);
  const names = readNameIndex(home);
  const limit = opts.limit ?? Infinity;
  const parallel = Math.max(1, opts.parallel ?? 8);
  const entries = [...scopeEntries(home, opts.scope ?? 'active', opts.onWarning)];
  const hits: SearchHit[] = [];
  const load = (e: RolloutEntry): Promise<Buffer | undefined> =>
    readContent(e.path).catch((err: unknown) => {
      if (err instanceof ReadWarning) {
        opts.onWarning?.(err.warning);
        return undefined;
      }
      throw err;
    });
  // A sliding window of reads in flight; results consumed in order (newest first).
  const inflight: Promise<Buffer | undefined>[] = [];
  let next = 0;
  const fill = () => {
    while (inflight.length < parallel && next < entries.length) inflight.push(load(entries[next++]!));
  };
  fill();
  for (let i = 0; i < entries.length && hits.length < limit; i++) {
    const content = await inflight.shift()!;
    fill();
    if (!content || content.length === 0) continue;
    const hit = findInContent(content, needle);
    if (!hit) continue;
    const e = entries[i]!;
    const h: SearchHit = { ...hit, id: e.id, path: e.path, archived: e.archived, compressed: e.compressed, stamp: e.stamp, name: names.get(e.id)?.name };
    hits.push(h);
    onHit?.(h);
  }
  // Let reads still in flight settle quietly (their results are not needed).
  await Promise.allSettled(inflight);
  return hits;
}
