// One archived rollout: compress it (plain only), or reconcile a plain + .zst pair.
//
// Compression: read the plain file, zstd it, write the temp in .tmp/, read the temp back and check
// that it decompresses to exactly the source bytes, give it the source's mode and times, fsync
// (prepareOne, many files in flight). Then, in batches, through the store's executor (store/executor.ts)
// under each thread's writer lock: re-check inode, size and mtime of the source and link the temp into
// place as X.jsonl.zst; one fsync of the directory; unlink X.jsonl (commitBatch). A writer that
// appended in between changed the size, so the copy is discarded and the plain file kept.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { zstdCompress, zstdDecompress } from '../../native/index.js';
import { existsSync as exists } from '../fsutil.js';
import type { FileOutcome, PassHooks, SkipReason } from './types.js';
import { applyBatch, applyGroups, compressTempPath, decidePair, relate, stampOf, type Action, type ApplyContext, type Outcome } from '../store/index.js';

/** Buffers one lane reuses from file to file (fresh multi-MB buffers cost page faults). */
export class Scratch {
  private bufs: Buffer[] = [Buffer.alloc(0), Buffer.alloc(0)];
  /** A view of at least `size` bytes of buffer `i` (contents undefined). */
  get(i: 0 | 1, size: number): Buffer {
    if (this.bufs[i]!.length < size) this.bufs[i] = Buffer.allocUnsafe(Math.max(size, Math.floor(this.bufs[i]!.length * 1.5)));
    return this.bufs[i]!.subarray(0, size);
  }
}

export interface FileJob {
  home: string;
  tmpDir: string;
  id: string;
  plain: string;
  level: number;
  dryRun: boolean;
  hooks: PassHooks;
  /** The lane's reusable buffers (optional). */
  scratch?: Scratch;
}

const skip = (job: FileJob, reason: SkipReason, bytesIn = 0, error?: string): FileOutcome => ({
  path: job.plain,
  id: job.id,
  action: 'skipped',
  reason,
  bytesIn,
  bytesOut: 0,
  ...(error !== undefined ? { error } : {}),
});

function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err && typeof err.message === 'string' ? err.message : String(e);
}

function sameFile(a: fs.Stats, b: fs.Stats): boolean {
  return a.ino === b.ino && a.dev === b.dev && a.size === b.size && a.mtimeMs === b.mtimeMs;
}


/** Read a whole file and the stat of what was read (fstat before and after: a growing file is refused). */
async function readStable(file: string, scratch: Scratch | undefined, slot: 0 | 1): Promise<{ bytes: Buffer; st: fs.Stats } | 'changed'> {
  const fh = await fsp.open(file, 'r');
  try {
    const st = await fh.stat();
    const bytes = scratch ? scratch.get(slot, st.size) : Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const { bytesRead } = await fh.read(bytes, off, st.size - off, off);
      if (bytesRead === 0) return 'changed';
      off += bytesRead;
    }
    const after = await fh.stat();
    return sameFile(st, after) ? { bytes, st } : 'changed';
  } finally {
    await fh.close();
  }
}

/** A verified, durable temp `.zst` waiting for its commit. */
export interface Prepared {
  job: FileJob;
  tmp: string;
  st: fs.Stats;
  bytesIn: number;
  bytesOut: number;
}

/** Read, compress, write the temp, fsync, verify. No lock is taken and nothing visible changes. */
export async function prepareOne(job: FileJob): Promise<Prepared | FileOutcome> {
  const zst = `${job.plain}.zst`;
  let read: Awaited<ReturnType<typeof readStable>>;
  try {
    if (exists(zst)) return skip(job, 'has_zst');
    const st0 = fs.lstatSync(job.plain);
    if (!st0.isFile()) return skip(job, 'not_regular');
    if (st0.size === 0) return skip(job, 'empty');
    read = await readStable(job.plain, job.scratch, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return skip(job, 'vanished');
    return skip(job, 'error', 0, errText(e));
  }
  if (read === 'changed') return skip(job, 'changed');
  const { bytes, st } = read;
  if (bytes[bytes.length - 1] !== 0x0a) return skip(job, 'incomplete_last_line', bytes.length);
  if (job.dryRun) return { path: job.plain, id: job.id, action: 'would_compress', bytesIn: bytes.length, bytesOut: 0 };

  const tmp = compressTempPath(job.tmpDir, path.basename(job.plain));
  let keep = false;
  try {
    const packed = await zstdCompress(bytes, job.level);
    const fh = await fsp.open(tmp, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL, st.mode & 0o7777);
    try {
      await fh.writeFile(packed);
      await fh.chmod(st.mode & 0o7777);
      try {
        await fh.chown(st.uid, st.gid);
      } catch {
        /* not permitted for other owners when not root: keep ours */
      }
      await fh.utimes(st.atime, st.mtime);
      await fh.sync();
    } finally {
      await fh.close();
    }
    // Verify what is on disk, every byte.
    const onDisk = await readStable(tmp, job.scratch, 1);
    if (onDisk === 'changed' || onDisk.bytes.length !== packed.length) return skip(job, 'error', bytes.length, `${tmp} changed while being verified [COMPRESS_VERIFY_FAILED]`);
    const back = await zstdDecompress(onDisk.bytes);
    if (!back.equals(bytes)) return skip(job, 'error', bytes.length, `verification failed: ${tmp} does not decompress to the source bytes [COMPRESS_VERIFY_FAILED]`);
    await job.hooks.beforeLock?.(job.plain);
    keep = true;
    return { job, tmp, st, bytesIn: bytes.length, bytesOut: packed.length };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !exists(job.plain)) return skip(job, 'vanished', bytes.length);
    return skip(job, 'error', bytes.length, errText(e));
  } finally {
    if (!keep) fs.rmSync(tmp, { force: true });
  }
}

export function isPrepared(x: Prepared | FileOutcome): x is Prepared {
  return 'tmp' in x;
}

/**
 * Commit prepared files together through the store's executor: per thread, under its lock (role
 * `compressor`, which writers wait for), `link_compressed` (re-check the source, link the .zst into
 * place, never over a file) and then, after one fsync of the directory for the whole batch, `remove`
 * the plain file. If an unlink is lost in a crash, both equal forms come back and the next pass
 * resolves them.
 */
export async function commitBatch(batch: readonly Prepared[], ctx: ApplyContext): Promise<FileOutcome[]> {
  try {
    const groups = batch.map((p) => {
      const { job } = p;
      const actions: Action[] = [
        { kind: 'link_compressed', thread: job.id, plain: job.plain, tmp: p.tmp, expect: { ...stampOf(p.st), ino: p.st.ino } },
        { kind: 'remove', thread: job.id, path: job.plain, expect: stampOf(p.st), keptIn: `${job.plain}.zst` },
      ];
      return { actions };
    });
    const hooksOf = new Map(batch.map((p) => [p.job.plain, p.job.hooks]));
    const outcomes = await applyBatch(groups, {
      ...ctx,
      role: 'compressor',
      beforeAction: async (a) => {
        if (a.kind === 'link_compressed') await hooksOf.get(a.plain)?.beforeCommit?.(a.plain);
        else if (a.kind === 'remove') await hooksOf.get(a.path)?.afterLink?.(a.path);
      },
    });
    return outcomes.map((o, i): FileOutcome => {
      const p = batch[i]!;
      if (o.status === 'done') return { path: p.job.plain, id: p.job.id, action: 'compressed', bytesIn: p.bytesIn, bytesOut: p.bytesOut };
      return skip(p.job, skipReasonOf(o), p.bytesIn, o.status === 'failed' ? o.detail : undefined);
    });
  } finally {
    for (const p of batch) fs.rmSync(p.tmp, { force: true });
  }
}

function skipReasonOf(o: Outcome): SkipReason {
  if (o.status === 'in_use') return 'in_use';
  if (o.status === 'changed') return o.reason === 'vanished' ? 'vanished' : o.reason === 'exists' ? 'has_zst' : 'changed';
  return 'error';
}

/**
 * Both X.jsonl and X.jsonl.zst exist (a run or a materialize was interrupted; plain wins for
 * readers). Compared once (store/damage.ts, the rule doctor uses): the form holding all the other
 * does is kept — equal forms of a cold file finish the compression — and the other removed by the
 * executor under the thread lock after re-checking both. Forms that diverged are reported and left.
 */
export async function reconcilePair(job: FileJob, cold: boolean, ctx: ApplyContext): Promise<FileOutcome> {
  const zst = `${job.plain}.zst`;
  let plainBytes: Buffer;
  let packed: Buffer;
  let stPlain: fs.Stats;
  let stZst: fs.Stats;
  try {
    stPlain = fs.statSync(job.plain);
    stZst = fs.statSync(zst);
    plainBytes = fs.readFileSync(job.plain);
    packed = fs.readFileSync(zst);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return skip(job, 'vanished');
    return skip(job, 'error', 0, errText(e));
  }
  let z: Buffer;
  try {
    z = await zstdDecompress(packed);
  } catch (e) {
    return skip(job, 'corrupt_zst', plainBytes.length, `${zst}: ${errText(e)} [ROLLOUT_ZSTD_CORRUPT]`);
  }
  const decision = decidePair(relate(plainBytes, z), cold && plainBytes[plainBytes.length - 1] === 0x0a);
  if ('manual' in decision) return skip(job, 'disagree', plainBytes.length, `${job.plain} and ${zst}: ${decision.manual}`);
  const dropPlain = decision.drop === 'plain';
  const done: FileOutcome = { path: job.plain, id: job.id, action: dropPlain ? 'finished' : 'dropped_stale_zst', bytesIn: plainBytes.length, bytesOut: dropPlain ? packed.length : 0 };
  if (job.dryRun) return done;
  const action: Action = dropPlain
    ? { kind: 'remove', thread: job.id, path: job.plain, expect: stampOf(stPlain), keptIn: zst, keptExpect: stampOf(stZst) }
    : { kind: 'remove', thread: job.id, path: zst, expect: stampOf(stZst), keptIn: job.plain, keptExpect: stampOf(stPlain) };
  const [o] = await applyGroups([{ actions: [action] }], { ...ctx, role: 'compressor' });
  return o!.status === 'done' ? done : skip(job, skipReasonOf(o!), plainBytes.length, o!.status === 'failed' ? o!.detail : undefined);
}
