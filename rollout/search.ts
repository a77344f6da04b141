// Search over the message text of every rollout in scope, plain and compressed, newest first.
// With the system libzstd, files are read (and decoded) into reused memory by the main thread and
// a helper thread, from opposite ends of the list (search-worker.ts); without it they are read ahead and
// decoded on the libuv pool by the zstd addon while the main thread matches in order. Plain files
// and decoded ones land in one reused region, for an ASCII query the SIMD scanner's own memory
// (fold-scan.ts): no per-file allocation, no copy, no string of the whole file.
import * as fs from 'node:fs';
import { loadedAddonFile, zstdDecompress, zstdInto, type ZstdInto } from '../native/index.js';
import { readNameIndex } from './names.js';
import { compileNeedle, findInContent, type ContentHit, type Needle } from './match.js';
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
  return { ok: false, warning: { path, code: 'ROLLOUT_UNREADABLE', message: `cannot read: ${err.code ?? ''} ${err.message}`.trim() } };
}

/**
 * Reused memory for one file at a time: `src` for a compressed file's bytes, `dst` for the content
 * searched. With an ASCII query it is the scanner's own memory (files land where it scans); else
 * plain buffers. A region keeps its bytes when it grows, but growing src loses dst's. Views are
 * valid until the next call.
 */
interface Workspace {
  src(n: number): Buffer;
  dst(n: number): Buffer;
  /** Bytes a region holds without growing. */
  capacity(region: 'src' | 'dst'): number;
}

class BufferWorkspace implements Workspace {
  private s: Buffer = Buffer.allocUnsafe(0);
  private d: Buffer = Buffer.allocUnsafe(0);
  src(n: number): Buffer {
    if (n > this.s.length) this.s = grown(this.s, n, 1 << 16);
    return this.s.subarray(0, n);
  }
  dst(n: number): Buffer {
    if (n > this.d.length) this.d = grown(this.d, n, 1 << 20);
    return this.d.subarray(0, n);
  }
  capacity(region: 'src' | 'dst'): number {
    return (region === 'src' ? this.s : this.d).length;
  }
}

function grown(b: Buffer, n: number, min: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(n, 2 * b.length, min));
  b.copy(bigger);
  return bigger;
}

/**
 * Reads a whole file into ws.src (compressed) or ws.dst (plain), to end of file. No fstat: the
 * region is usually big enough already, and node's Stats object per file (and the optimizing
 * compiler's work on it) cost more than the one extra read that sees the end.
 */
function readInto(ws: Workspace, region: 'src' | 'dst', path: string): Loaded {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    return ioWarning(path, e);
  }
  try {
    let buf = ws[region](ws.capacity(region));
    let n = 0;
    for (;;) {
      if (n === buf.length) buf = ws[region](Math.max(2 * n, 1 << 16));
      const r = fs.readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
    }
    return { ok: true, content: ws[region](n) };
  } catch (e) {
    return ioWarning(path, e);
  } finally {
    fs.closeSync(fd);
  }
}

// Decoded-size cap for the direct decoder (larger files go through the addon).
const MAX_DIRECT = 256 << 20;

/** Reads and decodes with libzstd into ws.dst; undefined: use the addon (which words any warning). */
function loadDirect(direct: ZstdInto, ws: Workspace, path: string): Loaded | undefined {
  const read = readInto(ws, 'src', path);
  if (!read.ok) return read;
  const len = read.content.length;
  const size = len > 0 ? direct.contentSize(read.content) : undefined;
  if (size === undefined || size === 0 || size > MAX_DIRECT) return undefined;
  const out = ws.dst(size);
  // src is fetched again: growing dst may have replaced its view (never its bytes).
  // Several frames, damage: the addon decodes again and words the warning.
  return direct.decompressInto(ws.src(len), out) === size ? { ok: true, content: out } : undefined;
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
  const scope = opts.scope ?? 'active';
  // Archived sessions (where compressed ones live) in scope: the helper thread starts now, so its
  // start-up (a second isolate) overlaps the directory walk; it gets its files afterwards.
  const early = scope !== 'active' ? startWorker(needle) : undefined;
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
  // The direct route (libzstd, and with it the helper thread) when there is decoding or enough files.
  const wantHelper = entries.length >= (opts.workerMin ?? 64);
  const direct = wantHelper || entries.some((e) => e.compressed) ? zstdInto() : undefined;
  const worker = direct && wantHelper ? (early ?? startWorker(needle)) : undefined;
  if (early !== worker) early?.stop();
  const ws: Workspace = needle.scanner ?? new BufferWorkspace();
  if (direct) await searchDirect(entries, direct, ws, needle, opts, match, report, () => hits.length, worker);
  else await searchViaAddon(entries, ws, opts, match, () => hits.length);
  return hits;
}

type Matcher = (e: RolloutEntry, loaded: Loaded) => void;
type Reporter = (e: RolloutEntry, hit: ContentHit) => void;

/** A helper thread for decoding, when libzstd and koffi are there (undefined otherwise). */
function startWorker(needle: Needle): DecodeWorker | undefined {
  if (!zstdInto()) return undefined;
  const koffiFile = loadedAddonFile('koffi');
  if (!koffiFile) return undefined;
  try {
    return new DecodeWorker(needle, koffiFile, MAX_DIRECT);
  } catch {
    return undefined;
  }
}

async function searchDirect(
  entries: RolloutEntry[],
  direct: ZstdInto,
  ws: Workspace,
  needle: Needle,
  opts: SearchOptions,
  match: Matcher,
  report: Reporter,
  found: () => number,
  worker: DecodeWorker | undefined,
): Promise<void> {
  const limit = opts.limit ?? Infinity;
  // Both threads take any file, plain or compressed, from opposite ends: the work balances itself.
  worker?.assign(
    entries.map((e) => e.path),
    entries.map((e) => e.compressed),
  );
  const load = (e: RolloutEntry): Loaded | undefined => (e.compressed ? loadDirect(direct, ws, e.path) : readInto(ws, 'dst', e.path));
  try {
    for (let i = 0; i < entries.length && found() < limit; i++) {
      const e = entries[i]!;
      const w = worker;
      const steal = (j: number) => !opts.workerOnly && stealAhead(w!, j, () => load(entries[j]!), needle);
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
      match(e, load(e) ?? (await loadCompressed(e.path)));
    }
  } finally {
    worker?.stop();
    if (opts.stats && worker) opts.stats.helper = worker.helped;
  }
}

/** Takes file j before the worker does and matches it now; the result is reported in order later. */
function stealAhead(w: DecodeWorker, j: number, load: () => Loaded | undefined, needle: Needle): boolean {
  if (!w.claim(j)) return false;
  const loaded = load();
  // Warnings (and the addon's slower decode) wait for their turn: redo then.
  if (!loaded || !loaded.ok) w.put(j, { kind: 'redo' });
  else {
    const hit = findInContent(loaded.content, needle);
    w.put(j, hit ? { kind: 'matched', hit } : { kind: 'skip' });
  }
  return true;
}

async function searchViaAddon(entries: RolloutEntry[], ws: Workspace, opts: SearchOptions, match: Matcher, found: () => number): Promise<void> {
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
      loaded = readInto(ws, 'dst', e.path);
    }
    match(e, loaded);
  }
  // Reads still in flight after an early stop: let them settle quietly.
  await Promise.allSettled(pending.values());
}
