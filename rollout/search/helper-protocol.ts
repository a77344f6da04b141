// What the main thread (helper.ts) and the helper thread (helper-thread.ts) share: the layout of
// their shared memory, the start data and the messages.
import type { MessagePort } from 'node:worker_threads';

/** A file's claim (one Int32 per file, compare-and-swap from FREE): who reads it. */
export const CLAIM_FREE = 0;
export const CLAIM_MAIN = 1;
export const CLAIM_HELPER = 2;

/** Slots of the control array (Int32 each). */
export const CTL_POSTED = 0; // messages the helper posted so far (the main thread waits on it)
export const CTL_FINISHED = 1; // 1 once the helper is done (or failed)
export const CTL_STOP = 2; // 1 when the main thread wants the helper to stop
export const CTL_WAITING = 3; // 1 while the main thread is blocked on a result (flush batches now)
export const CTL_ASSIGNED = 4; // 1 once the file list has been posted
export const CTL_PHASE = 5; // PHASE_*: whether the helper has begun its native work (compare-and-swap)
export const CTL_SLOTS = 6;

/**
 * The helper's phase. Ending a thread while a native addon is loading or running in it aborts the
 * whole process (node-addon-api's fatal error on a throw it cannot deliver): the main thread ends
 * it only before it has begun (IDLE → STOPPED), else it waits for CTL_FINISHED.
 */
export const PHASE_IDLE = 0;
export const PHASE_WORKING = 1;
export const PHASE_STOPPED = 2;

/** The helper's start data (workerData). */
export interface HelperData {
  port: MessagePort;
  ctl: Int32Array;
  /** ASCII queries: the scanner's needle, and its WebAssembly module's bytes. */
  folded: Uint8Array | undefined;
  scanBytes: Uint8Array | undefined;
  /** Other queries: the raw-JSON candidate regex (match.ts). */
  raw: { source: string; flags: string };
  /** The koffi addon file to dlopen (the main thread's, already verified). */
  koffiFile: string;
  maxSize: number;
}

/** The file list, posted once it is known (the helper starts before the directory walk ends). */
export interface HelperJob {
  /** Paths joined by NUL: cloning one string costs far less than cloning thousands. */
  paths: string;
  /** 1 for a .zst file. */
  zst: Uint8Array;
  /** One CLAIM_* per file. */
  claims: Int32Array;
}

/** skips: files ruled out; hit: a candidate's whole content; redo: the main thread takes it the careful way. */
export type HelperMessage = { skips: number[] } | { k: number; kind: 'redo' } | { k: number; kind: 'hit'; content: Uint8Array };
