// Search over the message text of every rollout in scope, plain and compressed, newest first.
// With the system libzstd, files are read (and decoded) into reused memory by the main thread and
// a helper thread, from opposite ends of the list (search-worker.ts), through native/raw-load.ts;
// without it they are read ahead and decoded on the libuv pool by the zstd addon while the main
// thread matches in order. Plain files and decoded ones land in one reused region, for an ASCII
// query the SIMD scanner's own memory (fold-scan.ts): no per-file allocation, no copy, no string
// of the whole file. Whatever the fast path does not take (errors, damage) is read again with
// node's fs and the addon, which word the warning.
import * as fs from 'node:fs';
import { BufferRegions, loadedAddonFile, rawLoader, rawLoadPossible, zstdDecompress, type LoadRegions, type RawLoader } from '../native/index.js';
import { readNameIndex } from './names.js';
import { compileNeedle, findInContent, needleSpec, type ContentHit, type Needle, type NeedleSpec } from './match.js';
import { DecodeWorker } from './search-worker.js';
import { scopeEntryList, type RolloutEntry, type Scope } from './scan.js';
import type { StoreWarning, WarningSink } from './warnings.js';

export interface SearchOptions {
  scope?: Scope;
  /** Stop after this many sessions with a hit (default: all). */
  limit?: number;
  /** Compressed files decoded at once by the addon (default 8). */
  parallel?: number;
  /** Fewest files for which a helper thread is worth its start (default 64). */
  workerMin?: number;
  /** Test hook: with a helper thread, leave every file to it. */
  workerOnly?: boolean;
  onWarning?: WarningSink;
  /** Test hook: counts the files the helper thread ruled out or handed over. */
  stats?: { helper: number };
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
  // The same codes as the reader's (one code per cause across commands).
  if (err.code === 'EISDIR') return { ok: false, warning: { path, code: 'ROLLOUT_NOT_A_FILE', message: 'a directory, not a rollout file' } };
  return { ok: false, warning: { path, code: 'ROLLOUT_UNREADABLE', message: `cannot read: ${err.message}` } };
}

/** The careful path for a plain file: node's fs, to end of file, into the dst region. */
function readPlain(ws: LoadRegions, path: string): Loaded {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    return ioWarning(path, e);
  }
  try {
    let buf = ws.dst(ws.capacity('dst'));
    let n = 0;
    for (;;) {
      if (n === buf.length) buf = ws.dst(Math.max(2 * n, 1 << 16));
      const r = fs.readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
    }
    return { ok: true, content: ws.dst(n) };
  } catch (e) {
    return ioWarning(path, e);
  } finally {
    fs.closeSync(fd);
  }
}

// Decoded-size cap for the fast path (larger files go through the addon).
const MAX_DIRECT = 256 << 20;

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

/**
 * Sessions whose message text contains `query` (case-insensitive), plain and compressed, newest
 * first, one hit per session with a snippet; `onHit` sees each as it is found. Damaged files give
 * warnings through `opts.onWarning`, never a failure of the search.
 *
 * @example
 *   const hits = await searchSessions(codexHome(), 'kumquat', { scope: 'all', limit: 5 });
 *   hits[0]?.snippet; // '… remember the word kumquat …'
 */
export async function searchSessions(home: string, query: string, opts: SearchOptions = {}, onHit?: (h: SearchHit) => void): Promise<SearchHit[]> {
  const spec = needleSpec(query);
  const scope = opts.scope ?? 'active';
  // Archived sessions (where compressed ones live) in scope: the helper thread starts first, so its
  // start-up (a second isolate) overlaps all the rest up to the end of the directory walk.
  const early = scope !== 'active' && rawLoadPossible() ? startWorker(spec) : undefined;
  const needle = compileNeedle(spec);
  const ws: LoadRegions = needle.scanner ?? new BufferRegions();
  let loader = early ? fastLoader(ws) : undefined;
  let entries: RolloutEntry[];
  let names: ReturnType<typeof readNameIndex>;
  try {
    names = readNameIndex(home);
    entries = scopeEntryList(home, scope, opts.onWarning);
  } catch (e) {
    early?.stop();
    throw e;
  }
  const hits: SearchHit[] = [];
  const match = (e: RolloutEntry, loaded: Loaded): void => {
    if (!loaded.ok) {
      opts.onWarning?.(loaded.warning);
      return;
    }
    if (loaded.content.length === 0) return;
    const hit = findInContent(loaded.content, needle);
    if (hit) report(e, hit);
  };
  const report = (e: RolloutEntry, hit: ContentHit): void => {
    const h: SearchHit = { ...hit, id: e.id, path: e.path, archived: e.archived, compressed: e.compressed, stamp: e.stamp, name: names.get(e.id)?.name };
    hits.push(h);
    onHit?.(h);
  };
  // The fast route (libzstd, and with it the helper thread) when there is decoding or enough files.
  const wantHelper = entries.length >= (opts.workerMin ?? 64);
  if (!loader && (wantHelper || entries.some((e) => e.compressed))) loader = fastLoader(ws);
  const worker = loader && wantHelper ? (early ?? startWorker(spec)) : undefined;
  if (early !== worker) early?.stop();
  if (loader) await searchDirect(entries, loader, ws, needle, opts, match, report, () => hits.length, worker);
  else await searchViaAddon(entries, ws, opts, match, () => hits.length);
  return hits;
}

type Matcher = (e: RolloutEntry, loaded: Loaded) => void;
type Reporter = (e: RolloutEntry, hit: ContentHit) => void;

/** The fast path when it can decode (libc and libzstd through koffi), else undefined. */
function fastLoader(ws: LoadRegions): RawLoader | undefined {
  const loader = rawLoader(ws, MAX_DIRECT);
  return loader?.decodes ? loader : undefined;
}

/** A helper thread (when koffi has been loaded; undefined otherwise). */
function startWorker(needle: NeedleSpec): DecodeWorker | undefined {
  const koffiFile = loadedAddonFile('koffi');
  if (!koffiFile) return undefined;
  try {
    return DecodeWorker.start(needle, koffiFile, MAX_DIRECT);
  } catch {
    return undefined;
  }
}

async function searchDirect(
  entries: RolloutEntry[],
  loader: RawLoader,
  ws: LoadRegions,
  needle: Needle,
  opts: SearchOptions,
  match: Matcher,
  report: Reporter,
  found: () => number,
  worker: DecodeWorker | undefined,
): Promise<void> {
  const limit = opts.limit ?? Infinity;
  // Both threads take any file, plain or compressed, from opposite ends: the work balances itself.
  worker?.assign(entries);
  const scanner = needle.scanner;
  // The first hit in the n bytes the loader just loaded. Most files have no candidate at all, and
  // that is found in place, without a view or a string.
  const hitIn = (n: number): ContentHit | undefined => {
    if (n === 0 || (scanner && scanner.find(n, loader.firstLineEnd(n) + 1) === -1)) return undefined;
    return findInContent(loader.content(n), needle);
  };
  try {
    for (let i = 0; i < entries.length && found() < limit; i++) {
      const e = entries[i]!;
      const w = worker;
      const steal = (j: number) => !opts.workerOnly && stealAhead(w!, j, entries[j]!, loader, hitIn);
      const r = !w ? undefined : (w.taken(i) ?? (!opts.workerOnly && w.claim(i) ? undefined : w.result(i, steal)));
      if (r?.kind === 'skip') continue;
      if (r?.kind === 'hit') {
        match(e, { ok: true, content: r.content });
        continue;
      }
      if (r?.kind === 'matched') {
        report(e, r.hit);
        continue;
      }
      const n = loader.load(e.path, e.compressed);
      if (n >= 0) {
        const hit = hitIn(n);
        if (hit) report(e, hit);
      } else match(e, e.compressed ? await loadCompressed(e.path) : readPlain(ws, e.path));
    }
  } finally {
    worker?.stop();
    if (opts.stats && worker) opts.stats.helper = worker.helped;
  }
}

/** Takes file j before the worker does and matches it now; the result is reported in order later. */
function stealAhead(w: DecodeWorker, j: number, e: RolloutEntry, loader: RawLoader, hitIn: (n: number) => ContentHit | undefined): boolean {
  if (!w.claim(j)) return false;
  const n = loader.load(e.path, e.compressed);
  // Warnings (and the addon's slower decode) wait for their turn: redo then.
  if (n < 0) w.put(j, { kind: 'redo' });
  else {
    const hit = hitIn(n);
    w.put(j, hit ? { kind: 'matched', hit } : { kind: 'skip' });
  }
  return true;
}

async function searchViaAddon(entries: RolloutEntry[], ws: LoadRegions, opts: SearchOptions, match: Matcher, found: () => number): Promise<void> {
  const limit = opts.limit ?? Infinity;
  const parallel = Math.max(1, opts.parallel ?? 8);
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
  for (let i = 0; i < entries.length && found() < limit; i++) {
    const e = entries[i]!;
    let loaded: Loaded;
    if (e.compressed) {
      readAhead(i);
      loaded = await (pending.get(i) ?? loadCompressed(e.path));
      pending.delete(i);
      readAhead(i + 1);
    } else {
      readAhead(i + 1);
      loaded = readPlain(ws, e.path);
    }
    match(e, loaded);
  }
  // Reads still in flight after an early stop: let them settle quietly.
  await Promise.allSettled(pending.values());
}
