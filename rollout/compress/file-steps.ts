// One archived rollout: compress it (plain only), or reconcile a plain + .zst pair.
//
// Compression: read the plain file, zstd it, write the temp in .tmp/, read the temp back and check
// that it decompresses to exactly the source bytes, give it the source's mode and times, fsync
// (prepareOne, many files in flight). Then, in batches, under each thread's writer lock (held until the
// unlink): re-check inode, size and mtime of the source, link the temp into place as X.jsonl.zst, fsync
// the directory, unlink X.jsonl (commitBatch). A writer that appended in between changed the size, so
// the copy is discarded and the plain file kept.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { zstdCompress, zstdDecompress } from '../../native/index.js';
import { errText, fsyncDir, type ErrorCode } from '../../protocol/index.js';
import { existsSync as exists } from '../fsutil.js';
import { tryThreadWriterLock } from '../locks.js';
import { relate } from '../manage/damage.js';
import type { CodexIndex } from '../codex-index.js';
import { compressTempPath } from './temps.js';
import type { FileOutcome, PassHooks, SkipReason } from './types.js';

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

const skip = (job: FileJob, reason: SkipReason, bytesIn = 0, error?: string, code: ErrorCode = 'IO_ERROR'): FileOutcome => ({
  path: job.plain,
  id: job.id,
  action: 'skipped',
  reason,
  bytesIn,
  bytesOut: 0,
  ...(error !== undefined ? { error, code } : {}),
});

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

/** fsync a directory without blocking the event loop (other files compress meanwhile). */
export async function fsyncDirAsync(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
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
    if (onDisk === 'changed' || onDisk.bytes.length !== packed.length) return skip(job, 'error', bytes.length, `${tmp} changed while being verified`, 'COMPRESS_VERIFY_FAILED');
    const back = await zstdDecompress(onDisk.bytes);
    if (!back.equals(bytes)) return skip(job, 'error', bytes.length, `verification failed: ${tmp} does not decompress to the source bytes`, 'COMPRESS_VERIFY_FAILED');
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
 * Commit prepared files of one directory together: for each, under its thread lock (kept until its
 * unlink), re-check the source and link the `.zst` into place; one directory fsync makes every link
 * durable; then each plain file is unlinked and its lock released. The unlinks are synced by the
 * caller (once per pass): if one is lost, both equal forms come back and the next pass resolves them.
 */
export async function commitBatch(batch: readonly Prepared[], home: string, index?: CodexIndex): Promise<FileOutcome[]> {
  const out: FileOutcome[] = [];
  const linked: { p: Prepared; release: () => void }[] = [];
  try {
    for (const p of batch) {
      const { job } = p;
      const zst = `${job.plain}.zst`;
      const lock = tryThreadWriterLock(home, job.id);
      if (!lock) {
        out.push(skip(job, 'in_use', p.bytesIn));
        continue;
      }
      let ok = false;
      try {
        let now: fs.Stats | undefined;
        try {
          now = fs.statSync(job.plain);
        } catch {
          /* vanished */
        }
        if (!now) out.push(skip(job, 'vanished', p.bytesIn));
        else if (!sameFile(p.st, now)) out.push(skip(job, 'changed', p.bytesIn));
        else if (exists(zst)) out.push(skip(job, 'has_zst', p.bytesIn));
        else {
          await job.hooks.beforeCommit?.(job.plain);
          try {
            fs.linkSync(p.tmp, zst); // never replaces: a .zst that appeared meanwhile wins and we skip
            ok = true;
          } catch (e) {
            out.push((e as NodeJS.ErrnoException).code === 'EEXIST' ? skip(job, 'has_zst', p.bytesIn) : skip(job, 'error', p.bytesIn, errText(e)));
          }
        }
      } finally {
        if (ok) linked.push({ p, release: () => lock.release() });
        else lock.release();
      }
    }
    if (linked.length === 0) return out;
    const dirs = [...new Set(linked.map((l) => path.dirname(l.p.job.plain)))];
    try {
      await Promise.all(dirs.map(fsyncDirAsync));
    } catch (e) {
      // The links may not be durable: keep every plain file (both equal forms are resolved later).
      for (const l of linked.splice(0)) {
        l.release();
        out.push(skip(l.p.job, 'error', l.p.bytesIn, `directory fsync failed, plain file kept: ${errText(e)}`));
      }
      return out;
    }
    for (const l of linked.splice(0)) {
      const { job } = l.p;
      try {
        await job.hooks.afterLink?.(job.plain);
        fs.unlinkSync(job.plain);
        index?.setPath(job.id, `${job.plain}.zst`); // under the thread lock, like the unlink
        out.push({ path: job.plain, id: job.id, action: 'compressed', bytesIn: l.p.bytesIn, bytesOut: l.p.bytesOut });
      } catch (e) {
        out.push(skip(job, 'error', l.p.bytesIn, `.zst in place but the plain file could not be removed (the next pass retries): ${errText(e)}`));
      } finally {
        l.release();
      }
    }
    return out;
  } finally {
    for (const l of linked) l.release();
    for (const p of batch) fs.rmSync(p.tmp, { force: true });
  }
}

/**
 * Both X.jsonl and X.jsonl.zst exist (a run or a materialize was interrupted). Plain wins for readers.
 * Equal contents: finish the transition (drop the plain copy if the file is cold, else the .zst).
 * The .zst a strict prefix of the plain file (appended after a materialize): drop the stale .zst.
 * Anything else is reported and left alone.
 */
export async function reconcilePair(job: FileJob, cold: boolean, index?: CodexIndex): Promise<FileOutcome> {
  const zst = `${job.plain}.zst`;
  const lock = job.dryRun ? undefined : tryThreadWriterLock(job.home, job.id);
  if (!job.dryRun && !lock) return skip(job, 'in_use');
  try {
    let plainBytes: Buffer;
    let packed: Buffer;
    try {
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
      return skip(job, 'corrupt_zst', plainBytes.length, `${zst}: ${errText(e)}`, 'ROLLOUT_ZSTD_CORRUPT');
    }
    // The same comparison doctor plans with (manage/damage.ts).
    const relation = relate(plainBytes, z);
    const equal = relation === 'identical';
    if (relation !== 'identical' && relation !== 'zst_is_prefix') return skip(job, 'disagree', plainBytes.length, `${job.plain} and ${zst} hold different content; the plain file is what readers see`);
    const dropPlain = equal && cold && plainBytes[plainBytes.length - 1] === 0x0a;
    if (job.dryRun) return { path: job.plain, id: job.id, action: dropPlain ? 'finished' : 'dropped_stale_zst', bytesIn: plainBytes.length, bytesOut: dropPlain ? packed.length : 0 };
    const dir = path.dirname(job.plain);
    try {
      fs.unlinkSync(dropPlain ? job.plain : zst);
      fsyncDir(dir);
      index?.setPath(job.id, dropPlain ? zst : job.plain);
    } catch (e) {
      return skip(job, 'error', plainBytes.length, errText(e));
    }
    return { path: job.plain, id: job.id, action: dropPlain ? 'finished' : 'dropped_stale_zst', bytesIn: plainBytes.length, bytesOut: dropPlain ? packed.length : 0 };
  } finally {
    lock?.release();
  }
}
