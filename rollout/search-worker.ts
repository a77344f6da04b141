// A helper thread for search over compressed rollouts: it reads, decodes (libzstd through koffi,
// synchronously) and rules out files with the same tests findInContent starts with (prefilter,
// then the raw-JSON regex), handing the rest over whole for the real match. The main thread
// handles plain files and matching. Both threads walk the compressed files front to back and claim
// each one with a CAS on shared memory; when the main thread reaches a file the worker holds, it
// takes (and fully matches) later free ones meanwhile, so the work balances itself on 2 cores.
// The worker source must be self-contained (builtins only): it runs from an eval'd string, which
// also works inside the single executable.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { ContentHit, Needle } from './match.js';

/** Per compressed file: 0 free, 1 taken by the main thread, 2 taken by the worker. */
const FREE = 0;
const MAIN = 1;

/** ctl slots: messages posted so far, worker finished, stop requested, main thread waiting. */
const POSTED = 0;
const FINISHED = 1;
const STOP = 2;
const WAITING = 3;

/** skip: cannot match; hit: a candidate's whole content; matched: the main thread's own finished match; redo: use the ordinary path. */
export type WorkerResult = { kind: 'skip' } | { kind: 'hit'; content: Buffer } | { kind: 'matched'; hit: ContentHit } | { kind: 'redo' };

const SKIP: WorkerResult = { kind: 'skip' };

type Message = { skips: number[] } | { k: number; kind: 'redo' } | { k: number; kind: 'hit'; content: Uint8Array };

const SOURCE = `
const { workerData: d } = require('node:worker_threads');
const fs = require('node:fs');
const os = require('node:os');
const { port, claims, ctl, files, anchors, raw, ascii, koffiFile, maxSize } = d;
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
let src = Buffer.allocUnsafeSlow(1 << 20);
function readWhole(path) {
  const fd = fs.openSync(path, 'r');
  try {
    let n = 0;
    for (;;) {
      if (n === src.length) {
        const bigger = Buffer.allocUnsafeSlow(src.length * 2);
        src.copy(bigger, 0, 0, n);
        src = bigger;
      }
      const r = fs.readSync(fd, src, n, src.length - n, null);
      n += r;
      if (r === 0 || n < src.length) return src.subarray(0, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}
try {
  const mod = { exports: {} };
  process.dlopen(mod, koffiFile, os.constants.dlopen.RTLD_NOW);
  const lib = mod.exports.load('libzstd.so.1');
  const frameSize = lib.func('uint64_t ZSTD_getFrameContentSize(const void *src, size_t srcSize)');
  const decompress = lib.func('size_t ZSTD_decompress(void *dst, size_t dstCapacity, const void *src, size_t srcSize)');
  const needles = anchors ? anchors.map((a) => Buffer.from(a)) : undefined;
  // The raw-JSON candidate test of match.ts (findInContent), without the 'g' flag.
  const re = new RegExp(raw.source, raw.flags.replace('g', ''));
  let out = Buffer.allocUnsafeSlow(1 << 20);
  for (let k = 0; k < files.length; k++) {
    if (Atomics.load(ctl, 2) !== 0) break;
    if (Atomics.load(ctl, 3) !== 0) flush();
    if (Atomics.compareExchange(claims, k, 0, 2) !== 0) continue;
    let m = { k, kind: 'redo' };
    let transfer;
    try {
      const bytes = readWhole(files[k]);
      const n = bytes.length > 0 ? frameSize(bytes, bytes.length) : undefined;
      if (typeof n === 'number' && n > 0 && n <= maxSize) {
        if (n > out.length) out = Buffer.allocUnsafeSlow(Math.max(n, out.length * 2));
        if (decompress(out, n, bytes, bytes.length) === n) {
          const nl = out.indexOf(10);
          const body = out.subarray(nl === -1 || nl >= n ? 0 : nl + 1, n);
          if (needles && !needles.some((a) => body.indexOf(a) !== -1)) m = undefined;
          else if (!re.test(body.toString(ascii ? 'latin1' : 'utf8'))) m = undefined;
          else {
            const content = new Uint8Array(n);
            content.set(out.subarray(0, n));
            m = { k, kind: 'hit', content };
            transfer = [content.buffer];
          }
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

export class DecodeWorker {
  private readonly claims: Int32Array;
  private readonly ctl: Int32Array;
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private readonly results = new Map<number, WorkerResult>();

  constructor(files: string[], needle: Needle, koffiFile: string, maxSize: number) {
    this.claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, files.length)));
    this.ctl = new Int32Array(new SharedArrayBuffer(4 * 4));
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(SOURCE, {
      eval: true,
      workerData: {
        port: port2,
        claims: this.claims,
        ctl: this.ctl,
        files,
        anchors: needle.anchors?.map((a) => new Uint8Array(a)),
        raw: { source: needle.raw.source, flags: needle.raw.flags },
        ascii: needle.ascii,
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
      for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
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
    this.port.close();
    void this.worker.terminate();
  }

  private store(m: Message): void {
    if ('skips' in m) for (const k of m.skips) this.results.set(k, SKIP);
    else this.results.set(m.k, m.kind === 'hit' ? { kind: 'hit', content: Buffer.from(m.content.buffer, m.content.byteOffset, m.content.byteLength) } : { kind: m.kind });
  }
}
