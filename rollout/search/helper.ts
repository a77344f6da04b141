// The main thread's side of search's helper thread (helper-thread.ts runs in it). Both threads load
// files through the same RawLoader; the helper rules out files with the same candidate test
// findInContent starts with and hands the rest over whole, for the real match, which the main
// thread does, in order. The main thread walks the files front to back, the helper back to front,
// each claiming a file with a compare-and-swap on shared memory, so they only meet once; when the
// main thread reaches a file the helper holds, it takes (and fully matches) later free ones meanwhile.
import type { MessagePort, Worker } from 'node:worker_threads';
import type { ContentHit, NeedleSpec } from './match.js';
import { moduleBytes } from './fold-scan.js';
import type { RolloutEntry } from '../scan.js';
import { helperProgram } from './helper-program.js';
import {
  CLAIM_FREE,
  CLAIM_MAIN,
  CTL_ASSIGNED,
  CTL_FINISHED,
  CTL_PHASE,
  CTL_POSTED,
  CTL_SLOTS,
  CTL_STOP,
  CTL_WAITING,
  PHASE_IDLE,
  PHASE_STOPPED,
  type HelperData,
  type HelperJob,
  type HelperMessage,
} from './helper-protocol.js';

/** skip: cannot match; hit: a candidate's whole content; matched: the main thread's own finished match; redo: use the ordinary path. */
export type HelperResult = { kind: 'skip' } | { kind: 'hit'; content: Buffer } | { kind: 'matched'; hit: ContentHit } | { kind: 'redo' };

const SKIP: HelperResult = { kind: 'skip' };

/** A helper that has posted nothing for this many waits of WAIT_MS has died without its finally. */
const WAIT_MS = 1000;
const SILENT_WAITS = 10;

/** Helper threads not yet exited (settleSearches stops them). */
const live = new Set<HelperThread>();

/**
 * Stops the helper threads of searches still running and resolves once none is inside native code
 * (ending the process while one is aborts it). Call it before exiting when a search may be in flight.
 *
 * @example
 *   app.unmount(); // the picker's search is aborted; its helper may still be reading
 *   await settleSearches();
 */
export function settleSearches(): Promise<void> {
  return Promise.all([...live].map((h) => h.stop())).then(() => undefined);
}

export class HelperThread {
  private claims: Int32Array = new Int32Array(0);
  private readonly ctl = new Int32Array(new SharedArrayBuffer(4 * CTL_SLOTS));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private readonly results = new Map<number, HelperResult>();
  /** Resolves once the thread has exited. */
  readonly exited: Promise<void>;

  /** Files the helper ruled out or handed over so far. */
  helped = 0;

  /** Starts the helper; it waits for assign(). node:worker_threads is loaded here, not by every command that imports the store. */
  static start(needle: NeedleSpec, koffiFile: string, maxSize: number): HelperThread {
    return new HelperThread(process.getBuiltinModule('node:worker_threads'), needle, koffiFile, maxSize);
  }

  private constructor(
    private readonly threads: typeof import('node:worker_threads'),
    needle: NeedleSpec,
    koffiFile: string,
    maxSize: number,
  ) {
    const { port1, port2 } = new threads.MessageChannel();
    this.port = port1;
    const data: HelperData = {
      port: port2,
      ctl: this.ctl,
      folded: needle.folded,
      scanBytes: needle.folded ? moduleBytes() : undefined,
      raw: { source: needle.raw.source, flags: needle.raw.flags },
      koffiFile,
      maxSize,
    };
    // The helper is a bundled module (helper-program.ts); `eval` because inside the executable it is
    // an embedded asset, not a file.
    this.worker = new threads.Worker(helperProgram(), { eval: true, workerData: data, transferList: [port2], stdout: true, stderr: true });
    this.worker.unref();
    this.worker.on('error', () => Atomics.store(this.ctl, CTL_FINISHED, 1));
    live.add(this);
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        live.delete(this);
        for (let m = threads.receiveMessageOnPort(this.port); m; m = threads.receiveMessageOnPort(this.port)) this.store(m.message as HelperMessage);
        this.port.close();
        resolve();
      }),
    );
  }

  /** The files, in the order both threads walk them. */
  assign(entries: readonly RolloutEntry[]): void {
    this.claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, entries.length)));
    const job: HelperJob = { paths: entries.map((e) => e.path).join('\0'), zst: Uint8Array.from(entries, (e) => (e.compressed ? 1 : 0)), claims: this.claims };
    this.port.postMessage(job);
    Atomics.store(this.ctl, CTL_ASSIGNED, 1);
    Atomics.notify(this.ctl, CTL_ASSIGNED);
  }

  /** Claims file k for the main thread; false when the helper has it. */
  claim(k: number): boolean {
    return Atomics.compareExchange(this.claims, k, CLAIM_FREE, CLAIM_MAIN) === CLAIM_FREE;
  }

  /**
   * The result for file k, claimed by the helper (blocks until posted; 'redo' if it stopped first).
   * While it is not there, `steal` may take a later free file for the main thread (it returns false
   * when there is none); its result is put with `put`.
   */
  result(k: number, steal: (from: number) => boolean): HelperResult {
    let from = k + 1;
    let silent = 0;
    for (;;) {
      const hit = this.taken(k);
      if (hit) return hit;
      const posted = Atomics.load(this.ctl, CTL_POSTED);
      const finished = Atomics.load(this.ctl, CTL_FINISHED) === 1;
      let got = false;
      for (let m = this.threads.receiveMessageOnPort(this.port); m; m = this.threads.receiveMessageOnPort(this.port)) {
        this.store(m.message as HelperMessage);
        got = true;
      }
      if (got) continue;
      if (finished) return { kind: 'redo' };
      while (from < this.claims.length && Atomics.load(this.claims, from) !== CLAIM_FREE) from++;
      if (from < this.claims.length && steal(from)) continue;
      // A helper that died without its finally (it cannot report while this thread blocks): after
      // a while without any message, the main thread does the file itself.
      if (Atomics.load(this.ctl, CTL_POSTED) === posted && ++silent > SILENT_WAITS) return { kind: 'redo' };
      Atomics.store(this.ctl, CTL_WAITING, 1);
      if (Atomics.wait(this.ctl, CTL_POSTED, posted, WAIT_MS) !== 'timed-out') silent = 0;
      Atomics.store(this.ctl, CTL_WAITING, 0);
    }
  }

  /** Records the main thread's own result for a file it claimed ahead of time. */
  put(k: number, r: HelperResult): void {
    this.results.set(k, r);
  }

  /** The result for file k if it is already there (the main thread's own, or the helper's). */
  taken(k: number): HelperResult | undefined {
    const r = this.results.get(k);
    if (r) this.results.delete(k);
    return r;
  }

  /**
   * Stops the helper: the stop flag, checked between files. A helper that has not begun its native
   * work is ended at once; one that has is let finish its file and its `finally` (never ended inside
   * koffi: that aborts the process), then ended. Resolves once it is out of its native work, so the
   * process may exit; `exited` follows, with `helped` counting every file it finished.
   */
  stop(): Promise<void> {
    Atomics.store(this.ctl, CTL_STOP, 1);
    Atomics.notify(this.ctl, CTL_ASSIGNED);
    // Nothing else may be keeping the event loop alive while the caller waits (a pending
    // Atomics.waitAsync does not): the thread does until it has exited.
    this.worker.ref();
    const before = Atomics.compareExchange(this.ctl, CTL_PHASE, PHASE_IDLE, PHASE_STOPPED) === PHASE_IDLE;
    const quiet = before ? Promise.resolve() : this.finished();
    return quiet.then(() => void this.worker.terminate());
  }

  /** Resolves once the helper has set CTL_FINISHED (or its thread is gone). */
  private finished(): Promise<void> {
    if (Atomics.load(this.ctl, CTL_FINISHED) !== 0) return Promise.resolve();
    const wait = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync(this.ctl, CTL_FINISHED, 0);
    return Promise.race([wait.async ? (wait.value as Promise<string>).then(() => undefined) : Promise.resolve(), this.exited]);
  }

  private store(m: HelperMessage): void {
    if ('skips' in m) {
      this.helped += m.skips.length;
      for (const k of m.skips) this.results.set(k, SKIP);
    } else if (m.kind === 'hit') {
      this.helped++;
      this.results.set(m.k, { kind: 'hit', content: Buffer.from(m.content.buffer, m.content.byteOffset, m.content.byteLength) });
    } else this.results.set(m.k, { kind: 'redo' });
  }
}
