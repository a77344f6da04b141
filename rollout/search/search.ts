// Search over the message text of every rollout in scope, plain and compressed, newest first.
// With the system libzstd, files are loaded into reused memory (raw-load.ts) by the main thread and
// a helper thread, from opposite ends of the list (helper.ts); without it they are read ahead and
// decoded on the libuv pool by the zstd addon while the main thread matches in order (careful.ts).
// Plain files and decoded ones land in one reused region, for an ASCII query the SIMD scanner's own
// memory (fold-scan.ts): no per-file allocation, no copy, no string of the whole file. A file that
// does not look like a rollout is judged as a listing judges it (one warning, the same words).
import { rawIo } from '../../native/index.js';
import { summarize } from '../head.js';
import { readNameIndex } from '../names.js';
import { scopeEntryChunks, scopeEntryList, type RolloutEntry, type Scope } from '../scan.js';
import type { StoreWarning, WarningSink } from '../warnings.js';
import { loadCarefully, loadCompressed, readPlain, type Loaded } from './careful.js';
import { HelperThread } from './helper.js';
import { compileNeedle, findInContent, looksLikeRollout, needleSpec, type ContentHit, type Needle, type NeedleSpec } from './match.js';
import { BufferRegions, FALL_BACK, RawLoader, type LoadRegions } from './raw-load.js';

/** Test hooks, parsed once where the program starts (the `sessions search` command). */
export interface SearchHooks {
  /** false: node's fs and the zstd addon only (no libc/libzstd fast path, no helper thread). */
  systemZstd?: boolean;
  /** With a helper thread, leave every file to it. */
  helperOnly?: boolean;
  /** Filled in as the search goes. */
  stats?: SearchStats;
}

export interface SearchStats {
  /** Files the helper thread ruled out or handed over. */
  helper: number;
  /** Files the main thread loaded itself. */
  main: number;
}

export interface SearchOptions {
  scope?: Scope;
  /** Stop after this many sessions with a hit (default: all). */
  limit?: number;
  /** Compressed files decoded at once by the addon (default 8). */
  parallel?: number;
  /** Fewest files for which a helper thread is worth its start (default 64). */
  workerMin?: number;
  onWarning?: WarningSink;
  /**
   * Aborting stops the reading promptly (the helper thread too); the search then rejects with the
   * signal's reason. With a signal the search also favours its first hits over its total time (the
   * newest files are scanned before the rest is walked: HEAD_FILES), as a picker's keystroke wants.
   */
  signal?: AbortSignal;
  hooks?: SearchHooks;
}

export interface SearchHit extends ContentHit {
  id: string;
  path: string;
  archived: boolean;
  compressed: boolean;
  stamp: string;
  name: string | undefined;
}

/** Decoded-size cap for the fast path (larger files go through the addon). */
const MAX_DIRECT = 256 << 20;

/** With a signal, the search lets the event loop run this often (a keystroke must reach the abort). */
const YIELD_MS = 10;

const NO_NAMES = new Map<string, { name: string }>();

/**
 * Under a signal, the newest files (at least this many, whole day directories) are scanned by the
 * main thread as soon as they are listed, before the rest of the store is walked (~80 ms on 50 000
 * sessions): a keystroke's first hits do not wait for the whole list.
 */
const HEAD_FILES = 2048;

/**
 * Searches the sessions in scope for `query` (case-insensitive substring of message text); hits
 * come newest first, each also passed to `onHit` as soon as it is found.
 *
 * @example const hits = await searchSessions(codexHome(), 'flaky test', { scope: 'all', limit: 10, signal });
 */
export async function searchSessions(home: string, query: string, opts: SearchOptions = {}, onHit?: (h: SearchHit) => void): Promise<SearchHit[]> {
  opts.signal?.throwIfAborted();
  const spec = needleSpec(query);
  const scope = opts.scope ?? 'active';
  const fast = () => (opts.hooks?.systemZstd === false ? undefined : rawIo());
  // Archived sessions (where compressed ones live) in scope, on the command line: the helper thread
  // starts first, so its start-up (a second isolate) overlaps all the rest up to the end of the
  // directory walk. Under a signal it starts only once a keystroke's head is scanned (below).
  const early = scope !== 'active' && !opts.signal ? startHelper(spec, fast()) : undefined;
  let helper: HelperThread | undefined;
  try {
    const names = readNameIndex(home);
    const needle = compileNeedle(spec);
    const ws: LoadRegions = needle.scanner ?? new BufferRegions();
    const run = new SearchRun(needle, ws, names, opts, onHit);
    // The fast route (libzstd, and with it the helper thread), looked up once, when first needed.
    let raw: ReturnType<typeof rawIo>;
    let loader: RawLoader | undefined;
    let looked = false;
    const rawLoader = (): RawLoader | undefined => {
      if (!looked) {
        looked = true;
        raw = fast();
        loader = raw?.io.zstd ? new RawLoader(raw.io, ws, MAX_DIRECT) : undefined;
      }
      return loader;
    };
    // Under a signal (a picker's keystroke) the first hits count: the head is scanned by this thread
    // alone as soon as it is listed, then the rest is walked (the helper thread starts only then, so
    // a superseded keystroke starts none). Without one (the command line) the whole time counts:
    // the whole list first, then both threads share every file.
    const walk = opts.signal ? scopeEntryChunks(home, scope, opts.onWarning) : undefined;
    let entries = walk ? takeEntries(walk, HEAD_FILES) : scopeEntryList(home, scope, opts.onWarning);
    if (walk && entries.length >= HEAD_FILES) {
      const head = rawLoader();
      if (head) await run.direct(entries, head, undefined);
      else await run.viaAddon(entries);
      if (run.stopped()) {
        opts.signal?.throwIfAborted();
        return run.hits;
      }
      entries = await run.collect(walk);
      opts.signal?.throwIfAborted();
    }
    // The fast route when there is decoding or enough files (for the helper).
    const wantHelper = entries.length >= (opts.workerMin ?? 64);
    const fastLoader = early || wantHelper || entries.some((e) => e.compressed) ? rawLoader() : undefined;
    if (fastLoader && wantHelper) helper = early ?? startHelper(spec, raw);
    if (fastLoader) await run.direct(entries, fastLoader, helper);
    else await run.viaAddon(entries);
    opts.signal?.throwIfAborted();
    return run.hits;
  } finally {
    // The helper is stopped (one still starting up is ended before it loads anything). The search
    // returns once it is out of its native work: the process may then exit without catching it
    // inside koffi, which aborts it. After an abort the search also waits for the thread's exit;
    // otherwise its isolate's teardown (tens of ms) is not waited for.
    const helpers = [...new Set([early, helper])].filter((h): h is HelperThread => h !== undefined);
    await Promise.all(helpers.map((h) => h.stop()));
    if (opts.signal?.aborted) await Promise.all(helpers.map((h) => h.exited));
    if (opts.hooks?.stats && helper) opts.hooks.stats.helper = helper.helped;
  }
}

/** A helper thread where libzstd and the koffi file are there (undefined otherwise). */
function startHelper(needle: NeedleSpec, raw: ReturnType<typeof rawIo>): HelperThread | undefined {
  if (!raw?.io.zstd || !raw.koffiFile) return undefined;
  try {
    return HelperThread.start(needle, raw.koffiFile, MAX_DIRECT);
  } catch {
    return undefined;
  }
}

/** The next chunks of the walk, at least `min` entries (fewer at its end). */
function takeEntries(walk: Iterator<RolloutEntry[]>, min: number): RolloutEntry[] {
  const out: RolloutEntry[] = [];
  while (out.length < min) {
    const c = walk.next();
    if (c.done) break;
    for (const e of c.value) out.push(e);
  }
  return out;
}

/** One search over lists of files, in order: the hits so far, the checks for abort. */
class SearchRun {
  readonly hits: SearchHit[] = [];
  private readonly limit: number;
  private nextYield = 0;

  constructor(
    private readonly needle: Needle,
    private readonly ws: LoadRegions,
    private readonly names: ReadonlyMap<string, { name: string }>,
    private readonly opts: SearchOptions,
    private readonly onHit: ((h: SearchHit) => void) | undefined,
  ) {
    this.limit = opts.limit ?? Infinity;
  }

  /** At the limit or aborted: nothing more to read. */
  stopped(): boolean {
    return this.hits.length >= this.limit || this.opts.signal?.aborted === true;
  }

  /** The rest of the walk as one list; under a signal the event loop runs between directories (the walk stops on abort). */
  async collect(walk: Iterator<RolloutEntry[]>): Promise<RolloutEntry[]> {
    const out: RolloutEntry[] = [];
    for (;;) {
      const go = this.more();
      if (go !== true && !(await go)) return out;
      const c = walk.next();
      if (c.done) return out;
      for (const e of c.value) out.push(e);
    }
  }

  /**
   * Whether to go on to the next file: not at the limit, not aborted. With a signal, the event loop
   * runs now and then (then the answer is a promise); without one, no await per file.
   */
  private more(): boolean | Promise<boolean> {
    if (this.hits.length >= this.limit) return false;
    const signal = this.opts.signal;
    if (!signal) return true;
    if (signal.aborted) return false;
    if (performance.now() < this.nextYield) return true;
    return new Promise<boolean>((resolve) =>
      setImmediate(() => {
        this.nextYield = performance.now() + YIELD_MS;
        resolve(!signal.aborted);
      }),
    );
  }

  private report(e: RolloutEntry, hit: ContentHit): void {
    const h: SearchHit = { ...hit, id: e.id, path: e.path, archived: e.archived, compressed: e.compressed, stamp: e.stamp, name: this.names.get(e.id)?.name };
    this.hits.push(h);
    this.onHit?.(h);
  }

  /** Content loaded the careful way. */
  private async matchLoaded(e: RolloutEntry, loaded: Loaded): Promise<void> {
    if (!loaded.ok) return this.opts.onWarning?.(loaded.warning);
    const c = loaded.content;
    if (!looksLikeRollout(c, c.length, c.indexOf(10)) && !(await this.rolloutAfterAll(e))) return;
    const hit = findInContent(c, this.needle);
    if (hit) this.report(e, hit);
  }

  /**
   * A file that does not look like a rollout, judged as `sessions list` judges it: when it is not
   * one, the listing's one warning goes out and the file is skipped.
   */
  private async rolloutAfterAll(e: RolloutEntry): Promise<boolean> {
    const warnings: StoreWarning[] = [];
    if (await summarize(e, NO_NAMES, (w) => warnings.push(w), { systemZstd: this.opts.hooks?.systemZstd })) return true;
    for (const w of warnings) this.opts.onWarning?.(w);
    return false;
  }

  /** The fast path: both threads load through RawLoader; anything it refuses goes the careful way. */
  async direct(entries: readonly RolloutEntry[], loader: RawLoader, helper: HelperThread | undefined): Promise<void> {
    const { needle, opts } = this;
    const stats = opts.hooks?.stats;
    const helperOnly = opts.hooks?.helperOnly === true;
    // Both threads take any file, plain or compressed, from opposite ends: the work balances itself.
    helper?.assign(entries);
    const scanner = needle.scanner;
    // The first hit in the n bytes just loaded. Most files have no candidate at all, and that is
    // found in place, without a view or a string.
    const hitIn = (n: number, lineEnd: number): ContentHit | undefined => {
      if (scanner && scanner.find(n, lineEnd + 1) === -1) return undefined;
      return findInContent(loader.content(n), needle);
    };
    // Takes file j before the helper does and matches it now; the result is reported in order later.
    const stealAhead = (h: HelperThread, j: number): boolean => {
      const e = entries[j];
      if (helperOnly || !e || !h.claim(j)) return false;
      if (stats) stats.main++;
      const n = loader.load(e.path, e.compressed);
      const lineEnd = n > 0 ? loader.firstLineEnd(n) : -1;
      // Warnings, the addon's slower decode and files to judge wait for their turn: redo then.
      if (n === FALL_BACK || !looksLikeRollout(loader.region(), n, lineEnd)) h.put(j, { kind: 'redo' });
      else {
        const hit = hitIn(n, lineEnd);
        h.put(j, hit ? { kind: 'matched', hit } : { kind: 'skip' });
      }
      return true;
    };
    for (let i = 0; i < entries.length; i++) {
      const go = this.more();
      if (go !== true && !(await go)) break;
      const e = entries[i]!;
      const r = helper && (helper.taken(i) ?? (!helperOnly && helper.claim(i) ? undefined : helper.result(i, (j) => stealAhead(helper, j))));
      if (r?.kind === 'skip') continue;
      if (r?.kind === 'hit') {
        await this.matchLoaded(e, { ok: true, content: r.content });
        continue;
      }
      if (r?.kind === 'matched') {
        this.report(e, r.hit);
        continue;
      }
      if (stats) stats.main++;
      const n = loader.load(e.path, e.compressed);
      if (n === FALL_BACK) {
        await this.matchLoaded(e, await loadCarefully(this.ws, e.path, e.compressed));
        continue;
      }
      const lineEnd = n > 0 ? loader.firstLineEnd(n) : -1;
      if (!looksLikeRollout(loader.region(), n, lineEnd) && !(await this.rolloutAfterAll(e))) continue;
      const hit = hitIn(n, lineEnd);
      if (hit) this.report(e, hit);
    }
  }

  /** Without libzstd: compressed files read ahead and decoded by the addon while the main thread matches in order. */
  async viaAddon(entries: readonly RolloutEntry[]): Promise<void> {
    const { opts } = this;
    const parallel = Math.max(1, opts.parallel ?? 8);
    const pending = new Map<number, Promise<Loaded>>();
    let ahead = 0; // next index to consider for read-ahead
    const readAhead = (from: number) => {
      if (ahead < from) ahead = from;
      for (; pending.size < parallel && ahead < entries.length && ahead < from + parallel * 4; ahead++) {
        const e = entries[ahead];
        if (e?.compressed) pending.set(ahead, loadCompressed(e.path));
      }
    };
    try {
      for (let i = 0; i < entries.length; i++) {
        const go = this.more();
        if (go !== true && !(await go)) break;
        const e = entries[i]!;
        if (opts.hooks?.stats) opts.hooks.stats.main++;
        let loaded: Loaded;
        if (e.compressed) {
          readAhead(i);
          loaded = await (pending.get(i) ?? loadCompressed(e.path));
          pending.delete(i);
          readAhead(i + 1);
        } else {
          readAhead(i + 1);
          loaded = readPlain(this.ws, e.path);
        }
        await this.matchLoaded(e, loaded);
      }
    } finally {
      // Reads still in flight after an early stop: let them settle quietly.
      await Promise.allSettled(pending.values());
    }
  }
}
