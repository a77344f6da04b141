// Search's helper thread, a program of its own (scripts/build.mjs bundles it as the SEA asset
// search-helper.cjs; helper-program.ts loads it). It binds its own libc and libzstd through the
// koffi file the main thread loaded, takes files from the end of the list, and for each reports
// "ruled out" (in batches), "redo" (the careful path must take it), or the whole content of a
// candidate. See helper.ts for the main thread's side.
import { isMainThread, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { rawIoFromFile } from '../../native/index.js';
import { FoldScanner, type WasmModule } from './fold-scan.js';
import {
  CLAIM_FREE,
  CLAIM_HELPER,
  CTL_ASSIGNED,
  CTL_FINISHED,
  CTL_PHASE,
  CTL_POSTED,
  CTL_STOP,
  CTL_WAITING,
  PHASE_IDLE,
  PHASE_WORKING,
  type HelperData,
  type HelperJob,
  type HelperMessage,
} from './helper-protocol.js';
import { looksLikeRollout } from './match.js';
import { BufferRegions, FALL_BACK, RawLoader } from './raw-load.js';

/** Files ruled out are posted in batches: one message costs the main thread ~10 µs. */
const SKIP_BATCH = 32;

/** How long to sleep between looks for the file list (the stop flag ends the wait at once). */
const JOB_WAIT_MS = 1000;

function run(d: HelperData): void {
  const { port, ctl } = d;
  let skips: number[] = [];
  const post = (m: HelperMessage, transfer?: ArrayBuffer[]) => {
    port.postMessage(m, transfer);
    Atomics.add(ctl, CTL_POSTED, 1);
    Atomics.notify(ctl, CTL_POSTED);
  };
  const flush = () => {
    if (skips.length > 0) post({ skips });
    skips = [];
  };
  try {
    // Stopped before it began: it loads nothing (see PHASE_IDLE).
    if (Atomics.compareExchange(ctl, CTL_PHASE, PHASE_IDLE, PHASE_WORKING) !== PHASE_IDLE) return;
    const io = rawIoFromFile(d.koffiFile);
    if (!io.zstd) return;
    // Working memory as on the main thread: the scanner's for an ASCII query, else plain buffers.
    const wasm = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => WasmModule } }).WebAssembly;
    const scanner = d.folded && d.scanBytes ? new FoldScanner(new wasm.Module(d.scanBytes), d.folded) : undefined;
    const loader = new RawLoader(io, scanner ?? new BufferRegions(), d.maxSize);
    // The raw-JSON candidate test of findInContent for other queries, without the 'g' flag.
    const re = new RegExp(d.raw.source, d.raw.flags.replace('g', ''));
    const job = waitForJob(d);
    if (!job) return;
    const files = job.paths.split('\0');
    for (let k = files.length - 1; k >= 0; k--) {
      if (Atomics.load(ctl, CTL_STOP) !== 0) break;
      if (Atomics.load(ctl, CTL_WAITING) !== 0) flush();
      if (Atomics.compareExchange(job.claims, k, CLAIM_FREE, CLAIM_HELPER) !== CLAIM_FREE) continue;
      const file = files[k];
      let m: HelperMessage | undefined = { k, kind: 'redo' };
      let transfer: ArrayBuffer[] | undefined;
      const n = file === undefined ? FALL_BACK : loader.load(file, job.zst[k] === 1);
      const lineEnd = n > 0 ? loader.firstLineEnd(n) : -1;
      // Not shaped like a rollout (or empty): the main thread judges it and words the warning.
      if (n !== FALL_BACK && looksLikeRollout(loader.region(), n, lineEnd)) {
        const body = lineEnd + 1;
        if (scanner ? scanner.find(n, body) === -1 : !re.test(loader.content(n).toString('utf8', body))) m = undefined;
        else {
          const content = new Uint8Array(n);
          content.set(loader.content(n));
          m = { k, kind: 'hit', content };
          transfer = [content.buffer];
        }
      }
      if (m !== undefined) post(m, transfer);
      else if (skips.push(k) >= SKIP_BATCH) flush();
    }
  } catch {
    // Whatever is not reported is redone by the main thread.
  } finally {
    try {
      flush();
    } finally {
      Atomics.store(ctl, CTL_FINISHED, 1);
      Atomics.notify(ctl, CTL_POSTED);
      Atomics.notify(ctl, CTL_FINISHED);
      // Nothing left to wait for: the thread ends by itself.
      port.close();
    }
  }
}

/** The file list (posted once the directory walk is done), or undefined when asked to stop first. */
function waitForJob(d: HelperData): HelperJob | undefined {
  while (Atomics.load(d.ctl, CTL_STOP) === 0) {
    const m = receiveMessageOnPort(d.port);
    if (m) return m.message as HelperJob;
    Atomics.wait(d.ctl, CTL_ASSIGNED, 0, JOB_WAIT_MS);
  }
  return undefined;
}

if (!isMainThread) run(workerData as HelperData);
