// A helper thread for search: it reads (and decodes) files with the same RawLoader as the main
// thread (native/raw-load.ts) and rules out files with the same candidate test findInContent starts
// with (the SIMD scanner for an ASCII query, the raw-JSON regex for others), handing the rest over
// whole for the real match, which the main thread does, in order. The main thread walks the files front to back, the helper back to
// front, each claiming a file with a CAS on shared memory, so they only meet once; when the main
// thread reaches a file the helper holds, it takes (and fully matches) later free ones meanwhile.
// The worker source must be self-contained (builtins, plus the source text of the classes it uses):
// it runs from an eval'd string, which also works inside the single executable.
import type { MessagePort, Worker } from 'node:worker_threads';
import { BufferRegions, nodeBuiltin, RawLoader } from '../native/index.js';
import type { ContentHit, NeedleSpec } from './match.js';
import { FoldScanner, moduleBytes } from './fold-scan.js';
import type { RolloutEntry } from './scan.js';

/** Per compressed file: 0 free, 1 taken by the main thread, 2 taken by the worker. */
const FREE = 0;
const MAIN = 1;

/** ctl slots: messages posted so far, worker finished, stop requested, main thread waiting, files assigned. */
const POSTED = 0;
const FINISHED = 1;
const STOP = 2;
const WAITING = 3;
const ASSIGNED = 4;

/** skip: cannot match; hit: a candidate's whole content; matched: the main thread's own finished match; redo: use the ordinary path. */
export type WorkerResult = { kind: 'skip' } | { kind: 'hit'; content: Buffer } | { kind: 'matched'; hit: ContentHit } | { kind: 'redo' };

const SKIP: WorkerResult = { kind: 'skip' };

type Message = { skips: number[] } | { k: number; kind: 'redo' } | { k: number; kind: 'hit'; content: Uint8Array };

/** The helper's program (builtins only, plus the source text of the classes it uses). */
function workerSource(): string {
  return `
const { workerData: d, receiveMessageOnPort } = require('node:worker_threads');
const os = require('node:os');
const FoldScanner = (${FoldScanner.toString()});
const BufferRegions = (${BufferRegions.toString()});
const RawLoader = (${RawLoader.toString()});
const { port, ctl, folded, scanBytes, raw, koffiFile, maxSize } = d;
let skips = [];
function post(m, transfer) {
  port.postMessage(m, transfer);
  Atomics.add(ctl, 0, 1);
  Atomics.notify(ctl, 0);
}
// Files ruled out are reported in batches (one message each costs the main thread ~10 µs), at
// once when the main thread is waiting.
function flush() {
  if (skips.length > 0) post({ skips });
  skips = [];
}
try {
  const mod = { exports: {} };
  process.dlopen(mod, koffiFile, os.constants.dlopen.RTLD_NOW);
  // Working memory as in search.ts: the scanner's for an ASCII query, else plain buffers.
  const scanner = folded ? new FoldScanner(new WebAssembly.Module(scanBytes), folded) : undefined;
  const loader = new RawLoader(mod.exports, scanner ?? new BufferRegions(), maxSize);
  if (!loader.decodes) throw new Error('no libzstd');
  // The raw-JSON candidate test of match.ts (findInContent) for other queries, without the 'g' flag.
  const re = new RegExp(raw.source, raw.flags.replace('g', ''));
  // Started before the files are known (its start-up overlaps the directory walk): wait for them.
  let job;
  while (!job && Atomics.load(ctl, 2) === 0) {
    const m = receiveMessageOnPort(port);
    if (m) job = m.message;
    else Atomics.wait(ctl, 4, 0, 1000);
  }
  const files = job ? job.paths.split('\\0') : [];
  const { zst, claims } = job ?? {};
  for (let k = files.length - 1; k >= 0; k--) {
    if (Atomics.load(ctl, 2) !== 0) break;
    if (Atomics.load(ctl, 3) !== 0) flush();
    if (Atomics.compareExchange(claims, k, 0, 2) !== 0) continue;
    let m = { k, kind: 'redo' };
    let transfer;
    try {
      const n = loader.load(files[k], zst[k] === 1);
      if (n === 0) m = undefined; // empty plain file: nothing to find
      else if (n > 0) {
        const body = loader.firstLineEnd(n) + 1;
        if (scanner ? scanner.find(n, body) === -1 : !re.test(loader.content(n).toString('utf8', body))) m = undefined;
        else {
          const content = new Uint8Array(n);
          content.set(loader.content(n));
          m = { k, kind: 'hit', content };
          transfer = [content.buffer];
        }
      }
    } catch {}
    if (m === undefined) {
      skips.push(k);
      if (skips.length >= 32) flush();
    } else post(m, transfer);
  }
} catch {
} finally {
  try {
    flush();
  } finally {
    Atomics.store(ctl, 1, 1);
    Atomics.notify(ctl, 0);
  }
}
`;
}

export class DecodeWorker {
  private claims: Int32Array = new Int32Array(0);
  private readonly ctl: Int32Array;
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private readonly results = new Map<number, WorkerResult>();

  /** Starts the helper; it waits for assign(). node:worker_threads is loaded here, not by every command that imports the store. */
  static start(needle: NeedleSpec, koffiFile: string, maxSize: number): DecodeWorker {
    return new DecodeWorker(nodeBuiltin('node:worker_threads'), needle, koffiFile, maxSize);
  }

  private constructor(
    private readonly threads: typeof import('node:worker_threads'),
    needle: NeedleSpec,
    koffiFile: string,
    maxSize: number,
  ) {
    const { MessageChannel, Worker } = threads;
    this.ctl = new Int32Array(new SharedArrayBuffer(4 * 5));
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(workerSource(), {
      eval: true,
      workerData: {
        port: port2,
        ctl: this.ctl,
        folded: needle.folded,
        scanBytes: needle.folded ? moduleBytes() : undefined,
        raw: { source: needle.raw.source, flags: needle.raw.flags },
        koffiFile,
        maxSize,
      },
      transferList: [port2],
      stdout: true,
      stderr: true,
    });
    this.worker.unref();
    this.worker.on('error', () => Atomics.store(this.ctl, FINISHED, 1));
  }

  /** The files, in the order both threads walk them. */
  assign(entries: readonly RolloutEntry[]): void {
    this.claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, entries.length)));
    // One string: cloning 5000 path strings one by one costs the main thread several ms.
    const paths = entries.map((e) => e.path).join('\0');
    this.port.postMessage({ paths, zst: Uint8Array.from(entries, (e) => (e.compressed ? 1 : 0)), claims: this.claims });
    Atomics.store(this.ctl, ASSIGNED, 1);
    Atomics.notify(this.ctl, ASSIGNED);
  }

  /** Claims compressed file k for the main thread; false when the worker has it. */
  claim(k: number): boolean {
    return Atomics.compareExchange(this.claims, k, FREE, MAIN) === FREE;
  }

  /**
   * The result for file k, claimed by the worker (blocks until posted; 'redo' if it stopped first).
   * While it is not there, `steal` may take a later free file for the main thread (it returns false
   * when there is none); its result is put with `put`.
   */
  result(k: number, steal: (from: number) => boolean): WorkerResult {
    let from = k + 1;
    let idle = 0;
    for (;;) {
      const hit = this.results.get(k);
      if (hit) {
        this.results.delete(k);
        return hit;
      }
      const posted = Atomics.load(this.ctl, POSTED);
      const finished = Atomics.load(this.ctl, FINISHED) === 1;
      let got = false;
      for (let m = this.threads.receiveMessageOnPort(this.port); m; m = this.threads.receiveMessageOnPort(this.port)) {
        this.store(m.message as Message);
        got = true;
      }
      if (got) continue;
      if (finished) return { kind: 'redo' };
      while (from < this.claims.length && Atomics.load(this.claims, from) !== FREE) from++;
      if (from < this.claims.length && steal(from)) continue;
      // A worker that died without its finally (it cannot report while this thread blocks):
      // after 10 s without any message, the main thread does the file itself.
      if (Atomics.load(this.ctl, POSTED) === posted && ++idle > 10) return { kind: 'redo' };
      Atomics.store(this.ctl, WAITING, 1);
      if (Atomics.wait(this.ctl, POSTED, posted, 1000) !== 'timed-out') idle = 0;
      Atomics.store(this.ctl, WAITING, 0);
    }
  }

  /** Records the main thread's own result for a file it claimed ahead of time. */
  put(k: number, r: WorkerResult): void {
    this.results.set(k, r);
  }

  /** The main thread's result for file k if it took k ahead of time. */
  taken(k: number): WorkerResult | undefined {
    const r = this.results.get(k);
    if (r) this.results.delete(k);
    return r;
  }

  stop(): void {
    Atomics.store(this.ctl, STOP, 1);
    Atomics.notify(this.ctl, ASSIGNED);
    this.port.close();
    void this.worker.terminate();
  }

  /** Files the helper ruled out or handed over so far. */
  helped = 0;

  private store(m: Message): void {
    if ('skips' in m) this.helped += m.skips.length;
    else if (m.kind === 'hit') this.helped++;
    if ('skips' in m) for (const k of m.skips) this.results.set(k, SKIP);
    else this.results.set(m.k, m.kind === 'hit' ? { kind: 'hit', content: Buffer.from(m.content.buffer, m.content.byteOffset, m.content.byteLength) } : { kind: m.kind });
  }
}
