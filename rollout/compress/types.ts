// Shapes of one compression pass: options in, per-file outcomes and a summary out.
import type { LockOptions } from '../locks.js';

export interface CompressPassOptions {
  /** $CODEX_HOME of the store. */
  home: string;
  /** Where the thread locks live (the configured directory; default $CODEX_HOME/thread-writer-locks). */
  lock?: LockOptions;
  /** Only archived plain rollouts whose mtime is at least this old. */
  minAgeMs: number;
  /** Stop starting new files after this long (the run still finishes the file in hand). */
  timeCapMs: number;
  /** Store lock heartbeat period and staleness limit (also the age limit of stale temps). */
  heartbeatMs: number;
  staleMs: number;
  /** Report what would be done, change nothing. */
  dryRun?: boolean;
  /** Files in flight at once (zstd and fsync run on the libuv pool). Default 4. */
  concurrency?: number;
  /** Prepared files committed together (one directory fsync per batch). Default 16. */
  batchSize?: number;
  /** zstd level, default 3. */
  level?: number;
  onProgress?: (p: PassProgress) => void;
  /** Test hooks: called at the named step of a file; may be async. */
  hooks?: PassHooks;
}

export interface PassHooks {
  /** After the scan, before any file is processed. */
  afterScan?: (candidates: readonly string[]) => void | Promise<void>;
  /** After the temp `.zst` is written and verified, before the thread lock is taken. */
  beforeLock?: (plainPath: string) => void | Promise<void>;
  /** Under the thread lock, right before the executor re-checks the source and links the .zst into place. */
  beforeCommit?: (plainPath: string) => void | Promise<void>;
  /** Under the thread lock, after the .zst is linked into place and the directory synced, before the unlink. */
  afterLink?: (plainPath: string) => void | Promise<void>;
}

export interface PassProgress {
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
  current?: string;
}

export type SkipReason =
  | 'has_zst' // a .zst sibling already exists and could not be reconciled safely
  | 'in_use' // the thread's writer lock is held
  | 'empty'
  | 'incomplete_last_line'
  | 'changed' // size/mtime/inode moved between the copy and the commit
  | 'vanished' // removed during the run
  | 'disagree' // plain and .zst differ in a way that is not a transition state
  | 'corrupt_zst'
  | 'not_regular'
  | 'error'; // I/O error (read-only dir, ENOSPC, …): see `error`

export type FileAction =
  | 'compressed'
  | 'would_compress' // dry run
  | 'skipped'
  | 'finished' // a transition state (both forms, equal) completed: the plain copy removed
  | 'dropped_stale_zst'; // a .zst that is a prefix of (or equal to) a newer plain file removed

export interface FileOutcome {
  path: string;
  id: string;
  action: FileAction;
  reason?: SkipReason;
  bytesIn: number;
  bytesOut: number;
  error?: string;
}

export interface PassSummary {
  status: 'done' | 'locked' | 'time_cap';
  dryRun: boolean;
  /** Who holds the store lock when status is 'locked'. */
  lockHolder?: string;
  /** Whether this run took over a stale store lock, and whose. */
  tookOverStaleLock?: string;
  candidates: number;
  compressed: number;
  bytesBefore: number;
  bytesAfter: number;
  /** bytesAfter / bytesBefore of the compressed files (0 when none). */
  ratio: number;
  skipped: Partial<Record<SkipReason, number>>;
  errors: number;
  /** Transition states resolved (both forms present). */
  resolved: number;
  tempsRemoved: number;
  /** Plain archived rollouts left because they are not cold yet. */
  notCold: number;
  tookMs: number;
  files: FileOutcome[];
  /** Why Codex 0.169's thread index (state_5.sqlite) could not be kept in step, when it could not. */
  codexIndexNote?: string;
}
