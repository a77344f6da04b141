// Search over the message text of every rollout in scope, plain and compressed, newest first.
// Compressed files are read ahead and decoded in parallel on the libuv pool (native zstd) while
// the main thread matches in order; plain files are read into one reused buffer (no per-file
// allocation: the external-memory churn otherwise costs more GC than the search itself).
import * as fs from 'node:fs';
import { zstdDecompress } from '../native/index.js';
import { readNameIndex } from './names.js';
import { compileNeedle, findInContent, type ContentHit } from './match.js';
import { scopeEntries, type RolloutEntry, type Scope } from './scan.js';
import type { StoreWarning, WarningSink } from './warnings.js';

export interface SearchOptions {
  scope?: Scope;
  /** Stop after this many sessions with a hit (default: all). */
  limit?: number;
  /** Compressed files decoded at once (default 8). */
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

type Loaded = { ok: true; content: Buffer } | { ok: false; warning: StoreWarning };

function ioWarning(path: string, e: unknown): Loaded {
  const err = e as NodeJS.ErrnoException;
  return { ok: false, warning: { path, code: 'ROLLOUT_UNREADABLE', message: `cannot read: ${err.code ?? ''} ${err.message}`.trim() } };
}

let scratch = Buffer.allocUnsafe(1 << 20);

/** Read a plain file into the shared scratch buffer (valid until the next call). */
function readPlain(path: string): Loaded {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    return ioWarning(path, e);
  }
  try {
    let size = fs.fstatSync(fd).size;
    if (size + 1 > scratch.length) scratch = Buffer.allocUnsafe(Math.max(size + 1, scratch.length * 2));
    let n = 0;
    for (;;) {
      const r = fs.readSync(fd, scratch, n, scratch.length - n, null);
      if (r === 0) break;
      n += r;
      if (n === scratch.length) {
        // grew while reading: enlarge and continue
        const bigger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(bigger, 0, 0, n);
        scratch = bigger;
      }
    }
    size = n;
    return { ok: true, content: scratch.subarray(0, size) };
  } catch (e) {
    return ioWarning(path, e);
  } finally {
    fs.closeSync(fd);
  }
}

function loadCompressed(path: string): Promise<Loaded> {
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

export async function searchSessions(home: string, query: string, opts: SearchOptions = {}, onHit?: (h: SearchHit) => void): Promise<SearchHit[]> {
  const needle = compileNeedle(query);
  const names = readNameIndex(home);
  const limit = opts.limit ?? Infinity;
  const parallel = Math.max(1, opts.parallel ?? 8);
  const entries: RolloutEntry[] = [...scopeEntries(home, opts.scope ?? 'active', opts.onWarning)];
  const hits: SearchHit[] = [];
  const pending = new Map<number, Promise<Loaded>>();
  let ahead = 0; // next index to consider for read-ahead
  const readAhead = (from: number) => {
    if (ahead < from) ahead = from;
    while (pending.size < parallel && ahead < entries.length && ahead < from + parallel * 4) {
      const e = entries[ahead]!;
      if (e.compressed) pending.set(ahead, loadCompressed(e.path));
      ahead++;
    }
  };
  for (let i = 0; i < entries.length && hits.length < limit; i++) {
    const e = entries[i]!;
    let loaded: Loaded;
    if (e.compressed) {
      readAhead(i);
      loaded = await (pending.get(i) ?? loadCompressed(e.path));
      pending.delete(i);
      readAhead(i + 1);
    } else {
      readAhead(i + 1);
      loaded = readPlain(e.path);
    }
    if (!loaded.ok) {
      opts.onWarning?.(loaded.warning);
      continue;
    }
    if (loaded.content.length === 0) continue;
    const hit = findInContent(loaded.content, needle);
    if (!hit) continue;
    const h: SearchHit = { ...hit, id: e.id, path: e.path, archived: e.archived, compressed: e.compressed, stamp: e.stamp, name: names.get(e.id)?.name };
    hits.push(h);
    onHit?.(h);
  }
  // Reads still in flight after an early stop: let them settle quietly.
  await Promise.allSettled(pending.values());
  return hits;
}
