// One pass of the compression worker over archived_sessions/ (never sessions/: active threads are
// the ones most likely to be resumed).
import * as path from 'node:path';
import { ARCHIVED_DIR, STORE_TMP_DIR } from '../paths.js';
import { commitBatch, isPrepared, prepareOne, reconcilePair, Scratch, type FileJob, type Prepared } from './file-steps.js';
import { openCodexIndex, type CodexIndex } from '../codex-index.js';
import { planCompression, type Work } from './plan.js';
import type { CompressPassOptions, FileOutcome, PassSummary } from './types.js';
import { threadsOf, walkStore, acquireStoreLock, removeStaleTemps, type ApplyContext } from '../store/index.js';

/** Plain archived rollouts, split into work and "not cold yet" (one stat-only scan of the tree). */
export function scanArchived(home: string, minAgeMs: number, nowMs: number): { work: Work[]; notCold: number } {
  const { files } = walkStore(home, ['archived']);
  return planCompression(threadsOf(files), path.join(home, ARCHIVED_DIR), nowMs, minAgeMs);
}

export async function runCompressionPass(opts: CompressPassOptions): Promise<PassSummary> {
  const started = Date.now();
  const dryRun = opts.dryRun ?? false;
  const tmpDir = path.join(opts.home, STORE_TMP_DIR);
  const summary: PassSummary = {
    status: 'done',
    dryRun,
    candidates: 0,
    compressed: 0,
    bytesBefore: 0,
    bytesAfter: 0,
    ratio: 0,
    skipped: {},
    errors: 0,
    resolved: 0,
    tempsRemoved: 0,
    notCold: 0,
    tookMs: 0,
    files: [],
  };
  const finish = () => {
    summary.tookMs = Date.now() - started;
    summary.ratio = summary.bytesBefore > 0 ? summary.bytesAfter / summary.bytesBefore : 0;
    return summary;
  };

  // A dry run changes nothing, so it needs no lock.
  const got = dryRun ? undefined : acquireStoreLock(tmpDir, { staleMs: opts.staleMs, heartbeatMs: opts.heartbeatMs });
  if (got && !got.ok) {
    summary.status = 'locked';
    summary.lockHolder = got.holder;
    return finish();
  }
  const lock = got?.lock;
  if (lock?.tookOver) summary.tookOverStaleLock = lock.tookOver;
  let index: CodexIndex | undefined;
  try {
    if (!dryRun) {
      const ix = await openCodexIndex(opts.home);
      if ('close' in ix) index = ix;
      else if (ix.note) summary.codexIndexNote = ix.note;
    }
    if (!dryRun) {
      summary.tempsRemoved = removeStaleTemps(
        [
          { dir: tmpDir, kind: 'compress' },
          { dir: path.join(opts.home, ARCHIVED_DIR), kind: 'materialize' },
        ],
        opts.staleMs,
        Date.now(),
      ).length;
    }
    const { work, notCold } = scanArchived(opts.home, opts.minAgeMs, Date.now());
    summary.notCold = notCold;
    summary.candidates = work.length;
    await opts.hooks?.afterScan?.(work.map((w) => w.plain));
    const bytesTotal = work.reduce((a, w) => a + w.size, 0);
    let done = 0;
    let bytesDone = 0;
    opts.onProgress?.({ done, total: work.length, bytesDone, bytesTotal });
    const deadline = started + opts.timeCapMs;
    // The executor's context: the thread locks where configured, Codex's index kept in step.
    const ctx: ApplyContext = { home: opts.home, ...(opts.lock ? { lock: opts.lock } : {}), now: Date.now, staleRule: { staleMs: opts.staleMs, now: Date.now }, ...(index ? { index } : {}) };
    const jobOf = (w: Work): FileJob => ({ home: opts.home, tmpDir, id: w.id, plain: w.plain, level: opts.level ?? 3, dryRun, hooks: opts.hooks ?? {} });
    const finished = (w: Work, out: FileOutcome) => {
      record(summary, out);
      done++;
      bytesDone += w.size;
      opts.onProgress?.({ done, total: work.length, bytesDone, bytesTotal, current: w.plain });
    };
    // Pairs first (cheap, and they unblock their threads), one at a time.
    for (const w of work.filter((x) => x.pair)) {
      if (Date.now() >= deadline) break;
      finished(w, await safely(w, () => reconcilePair(jobOf(w), w.cold, ctx)));
    }
    // Then the plain files: prepared many at a time, committed in batches (one directory fsync each).
    const plain = work.filter((x) => !x.pair);
    const width = Math.max(1, opts.concurrency ?? 4);
    const batchSize = Math.max(width, opts.batchSize ?? 16);
    const scratches = Array.from({ length: width }, () => new Scratch());
    let i = 0;
    while (i < plain.length && Date.now() < deadline) {
      const chunk = plain.slice(i, i + batchSize);
      i += chunk.length;
      const ready: { w: Work; p: Prepared }[] = [];
      let next = 0;
      const lane = async (scratch: Scratch) => {
        for (;;) {
          if (Date.now() >= deadline) return;
          const w = chunk[next++];
          if (!w) return;
          const r: Prepared | FileOutcome = await safely(w, () => prepareOne({ ...jobOf(w), scratch }));
          if (isPrepared(r)) ready.push({ w, p: r });
          else finished(w, r);
        }
      };
      await Promise.all(scratches.slice(0, Math.min(width, chunk.length)).map(lane));
      const unstarted = chunk.slice(next);
      i -= unstarted.length; // stopped by the time cap: not done
      if (ready.length) {
        const outs = await commitBatch(
          ready.map((r) => r.p),
          ctx,
        ).catch((e: unknown) => ready.map((r): FileOutcome => ({ path: r.w.plain, id: r.w.id, action: 'skipped', reason: 'error', bytesIn: r.p.bytesIn, bytesOut: 0, error: e instanceof Error ? e.message : String(e) })));
        for (const out of outs) finished(ready.find((r) => r.p.job.plain === out.path)!.w, out);
      }
    }
    if (done < work.length) summary.status = 'time_cap';
  } finally {
    index?.close();
    lock?.release();
  }
  return finish();
}

async function safely<T>(w: Work, fn: () => Promise<T>): Promise<T | FileOutcome> {
  try {
    return await fn();
  } catch (e) {
    return { path: w.plain, id: w.id, action: 'skipped', reason: 'error', bytesIn: 0, bytesOut: 0, error: e instanceof Error ? e.message : String(e) };
  }
}

function record(s: PassSummary, out: FileOutcome): void {
  s.files.push(out);
  switch (out.action) {
    case 'compressed':
    case 'would_compress':
      s.compressed++;
      s.bytesBefore += out.bytesIn;
      s.bytesAfter += out.bytesOut;
      return;
    case 'finished':
    case 'dropped_stale_zst':
      s.resolved++;
      return;
    case 'skipped':
      s.skipped[out.reason ?? 'error'] = (s.skipped[out.reason ?? 'error'] ?? 0) + 1;
      if (out.reason === 'error' || out.reason === 'corrupt_zst' || out.reason === 'disagree') s.errors++;
      return;
  }
}
