// The executor: applies planned actions under the thread lock, re-checking before each that the
// files are still what the plan saw (size and mtime; the inode too for the compressor's source).
// doctor and prune use applyGroups (one thread's groups in order, each change made durable at once);
// the compressor uses applyBatch (many threads' groups in lockstep, so a batch costs one directory
// fsync per step instead of one per file). A thread whose lock is held is left alone; a file that
// changed since the plan stops that thread's work.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { zstdCompress } from '../../native/index.js';
import { describeHolder, readLockHolder, tryThreadWriterLock, type LockOptions, type LockRole, type ThreadWriterLock } from '../locks.js';
import { readContent } from '../reader.js';
import type { CodexIndex } from '../codex-index.js';
import { threadOf, type Action, type FileStamp } from './actions.js';
import { writeFileAtomic } from './atomic.js';
import { removeStaleCompressionLock, type StaleRule } from './compression-lock.js';
import { analyzeContent } from './damage.js';
import { moveToQuarantine } from './quarantine.js';
import { removeIndexEntries } from './session-index.js';

/** Why an action found its file not as planned: changed, gone, or its target already there. */
export type ChangeReason = 'changed' | 'vanished' | 'exists';

export type Outcome =
  | { status: 'done'; detail: string; quarantined?: string }
  | { status: 'in_use'; detail: string }
  | { status: 'changed'; detail: string; reason?: ChangeReason }
  | { status: 'failed'; detail: string };

export interface ApplyContext {
  home: string;
  /** Where the thread locks live (the configured directory). */
  lock?: LockOptions;
  /** What our lock files say we are (default `maintenance`); writers wait for either. */
  role?: LockRole;
  /** Test seam: called under the thread lock right before each action. */
  beforeAction?: (a: Action) => void | Promise<void>;
  now: () => number;
  staleRule: StaleRule;
  /** Codex 0.169's thread index, kept in step with what the actions change (when open). */
  index?: CodexIndex;
}

class Changed extends Error {
  constructor(
    message: string,
    readonly reason: ChangeReason = 'changed',
  ) {
    super(message);
  }
}
class InUse extends Error {}

function recheck(p: string, expect: FileStamp & { ino?: number }): void {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) throw new Changed(`${p} is gone since the scan`, 'vanished');
  if (!st.isFile() || st.size !== expect.size || st.mtimeMs !== expect.mtimeMs || (expect.ino !== undefined && st.ino !== expect.ino)) {
    throw new Changed(`${p} changed since the scan`);
  }
}

/**
 * Apply one action; the caller holds the thread's lock when the action names a thread. Directories
 * whose entries changed go into `dirty`: the caller makes them durable before the next step.
 */
async function applyOne(a: Action, ctx: ApplyContext, dirty: Set<string>): Promise<{ detail: string; quarantined?: string }> {
  switch (a.kind) {
    case 'remove':
      recheck(a.path, a.expect);
      if (a.keptExpect) recheck(a.keptIn, a.keptExpect);
      fs.unlinkSync(a.path);
      dirty.add(path.dirname(a.path));
      // A form of a rollout removed in favour of the other: Codex's row follows the one kept.
      if (a.thread && /\.jsonl(\.zst)?$/.test(a.keptIn)) ctx.index?.setPath(a.thread, a.keptIn);
      return { detail: `removed ${path.basename(a.path)} (its content is in ${a.keptIn})` };
    case 'quarantine': {
      recheck(a.path, a.expect);
      const to = moveToQuarantine(ctx.home, a.path, ctx.now());
      return { detail: `moved whole to ${to}`, quarantined: to };
    }
    case 'move': {
      recheck(a.from, a.expect);
      if (fs.existsSync(a.to)) throw new Changed(`${a.to} appeared since the scan; run doctor again`);
      fs.mkdirSync(path.dirname(a.to), { recursive: true });
      fs.renameSync(a.from, a.to);
      dirty.add(path.dirname(a.to));
      dirty.add(path.dirname(a.from));
      if (a.to.endsWith('.jsonl') || !fs.existsSync(a.to.replace(/\.zst$/, ''))) ctx.index?.setPath(a.thread, a.to);
      return { detail: `moved to ${path.relative(ctx.home, path.dirname(a.to))}/` };
    }
    case 'rewrite': {
      recheck(a.path, a.expect);
      const st = fs.statSync(a.path);
      // Re-judged on what is there now: only fragments of torn records may go.
      const { damage, repaired } = analyzeContent(await readContent(a.path));
      if (damage.recordsKept === 0 || damage.foreignBytes > 0) throw new Changed(`${a.path} changed since the scan; run doctor again`);
      if (!repaired) return { detail: 'nothing left to repair' };
      const bytes = a.path.endsWith('.zst') ? await zstdCompress(repaired, 3) : repaired;
      writeFileAtomic(a.path, bytes, { like: st, beforeRename: () => sameStamp(a.path, st) });
      return { detail: `rewrote it keeping all ${damage.recordsKept} parseable records` };
    }
    case 'link_compressed': {
      recheck(a.plain, a.expect);
      try {
        fs.linkSync(a.tmp, `${a.plain}.zst`); // never replaces: a .zst that appeared meanwhile wins
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new Changed(`${a.plain}.zst appeared since the scan`, 'exists');
        throw e;
      }
      dirty.add(path.dirname(a.plain));
      return { detail: `linked ${path.basename(a.plain)}.zst` };
    }
    case 'remove_thread_lock': {
      // Taking and releasing the lock removes the file under the coordination lock, as a writer does.
      const lock = tryThreadWriterLock(ctx.home, a.thread, { ...ctx.lock, role: ctx.role ?? 'maintenance' });
      if (!lock) throw new InUse('a writer took it meanwhile');
      lock.release();
      return { detail: 'removed' };
    }
    case 'remove_compression_lock':
      if (!removeStaleCompressionLock(a.path, ctx.staleRule)) throw new InUse('a compression worker took it over meanwhile');
      return { detail: 'removed' };
    case 'prune_thread': {
      for (const f of a.files) {
        const st = fs.statSync(f.path, { throwIfNoEntry: false });
        if (!st) throw new Changed('changed since the scan: a file moved or disappeared');
        if (st.size !== f.expect.size || st.mtimeMs !== f.expect.mtimeMs) throw new Changed('changed since the scan: written to meanwhile');
      }
      for (const f of a.files) {
        try {
          fs.unlinkSync(f.path);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
      }
      for (const f of a.files) dirty.add(path.dirname(f.path));
      ctx.index?.removed(a.thread);
      return { detail: 'removed' };
    }
    case 'drop_index_entries': {
      const n = removeIndexEntries(ctx.home, new Set(a.ids));
      return { detail: n ? 'removed from session_index.jsonl' : 'already gone from session_index.jsonl' };
    }
  }
}

function sameStamp(p: string, st: fs.Stats): boolean {
  const now = fs.statSync(p, { throwIfNoEntry: false });
  return now !== undefined && now.size === st.size && now.mtimeMs === st.mtimeMs;
}

function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ? `${err.code}: ${err.message}` : String(err?.message ?? e);
}

/**
 * Apply groups of actions (one group per finding). Groups of one thread run under one hold of its
 * lock, in order; after a group fails or finds a change, the thread's later groups are not tried.
 */
export async function applyGroups(groups: readonly { actions: readonly Action[] }[], ctx: ApplyContext): Promise<Outcome[]> {
  const out: Outcome[] = new Array(groups.length);
  const byThread = new Map<string, number[]>();
  const loose: number[] = [];
  groups.forEach((g, i) => {
    const t = g.actions.map(threadOf).find((x) => x !== undefined);
    if (t === undefined) loose.push(i);
    else byThread.set(t, [...(byThread.get(t) ?? []), i]);
  });
  for (const i of loose) out[i] = await runGroup(groups[i]!.actions, ctx);
  for (const [id, idx] of byThread) {
    let lock: ThreadWriterLock | undefined;
    try {
      lock = tryThreadWriterLock(ctx.home, id, { ...ctx.lock, role: ctx.role ?? 'maintenance' });
    } catch (e) {
      for (const i of idx) out[i] = { status: 'failed', detail: errText(e) };
      continue;
    }
    if (!lock) {
      const detail = `writer lock held by ${describeHolder(readLockHolder(ctx.home, id, ctx.lock))}`;
      for (const i of idx) out[i] = { status: 'in_use', detail };
      continue;
    }
    try {
      let stopped: string | undefined;
      for (const i of idx) {
        if (stopped) {
          out[i] = { status: 'changed', detail: `not tried: ${stopped}` };
          continue;
        }
        out[i] = await runGroup(groups[i]!.actions, ctx);
        if (out[i]!.status !== 'done') stopped = out[i]!.detail;
      }
    } finally {
      lock.release();
    }
  }
  return out;
}

/** fsync the changed directories (together: the libuv pool runs them in parallel). */
async function flush(dirty: Set<string>): Promise<void> {
  const dirs = [...dirty];
  dirty.clear();
  await Promise.all(
    dirs.map(async (d) => {
      const fh = await fsp.open(d, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    }),
  );
}

function outcomeOf(e: unknown): Outcome {
  if (e instanceof Changed) return { status: 'changed', detail: e.message, reason: e.reason };
  if (e instanceof InUse) return { status: 'in_use', detail: e.message };
  return { status: 'failed', detail: errText(e) };
}

async function runGroup(actions: readonly Action[], ctx: ApplyContext): Promise<Outcome> {
  const details: string[] = [];
  let quarantined: string | undefined;
  const dirty = new Set<string>();
  for (const a of actions) {
    try {
      await ctx.beforeAction?.(a);
      const r = await applyOne(a, ctx, dirty);
      await flush(dirty);
      details.push(r.detail);
      if (r.quarantined) quarantined = r.quarantined;
    } catch (e) {
      return outcomeOf(e);
    }
  }
  return { status: 'done', detail: details.join('; '), ...(quarantined ? { quarantined } : {}) };
}

/**
 * Apply groups of different threads together: each group's thread lock is taken first (a held one
 * makes that group `in_use`), then the groups advance in lockstep — the k-th action of every group
 * still going, then one fsync of every directory those changed — and the locks are released at the
 * end. A group stops at its first action that fails or finds a change; if a step's fsync fails,
 * every group that took that step stops there (what it did may not be durable).
 */
export async function applyBatch(groups: readonly { actions: readonly Action[] }[], ctx: ApplyContext): Promise<Outcome[]> {
  const out: (Outcome | undefined)[] = new Array(groups.length);
  const details: string[][] = groups.map(() => []);
  const locks: ThreadWriterLock[] = [];
  try {
    groups.forEach((g, i) => {
      const id = g.actions.map(threadOf).find((x) => x !== undefined);
      if (id === undefined) return;
      try {
        const lock = tryThreadWriterLock(ctx.home, id, { ...ctx.lock, role: ctx.role ?? 'maintenance' });
        if (lock) locks.push(lock);
        else out[i] = { status: 'in_use', detail: `writer lock held by ${describeHolder(readLockHolder(ctx.home, id, ctx.lock))}` };
      } catch (e) {
        out[i] = { status: 'failed', detail: errText(e) };
      }
    });
    const steps = Math.max(0, ...groups.map((g) => g.actions.length));
    for (let k = 0; k < steps; k++) {
      const dirty = new Set<string>();
      const took: number[] = [];
      for (let i = 0; i < groups.length; i++) {
        const a = groups[i]!.actions[k];
        if (out[i] || !a) continue;
        try {
          await ctx.beforeAction?.(a);
          details[i]!.push((await applyOne(a, ctx, dirty)).detail);
          took.push(i);
        } catch (e) {
          out[i] = outcomeOf(e);
        }
      }
      try {
        await flush(dirty);
      } catch (e) {
        for (const i of took) out[i] = { status: 'failed', detail: `directory fsync failed after: ${details[i]!.join('; ')} (${errText(e)})` };
      }
    }
    return groups.map((_, i) => out[i] ?? { status: 'done', detail: details[i]!.join('; ') });
  } finally {
    for (const l of locks) l.release();
  }
}
