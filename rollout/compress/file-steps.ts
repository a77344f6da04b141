// One archived rollout: compress it (plain only), or reconcile a plain + .zst pair.
//
// Compression: read the plain file, zstd it, write the temp in .tmp/, read the temp back and check
// that it decompresses to exactly the source bytes, give it the source's mode and times, fsync. Then,
// under the thread's writer lock (held until the unlink): re-check inode, size and mtime of the source,
// link the temp into place as X.jsonl.zst, fsync the directory, unlink X.jsonl, fsync again.
// A writer that appended in between changed the size, so the copy is discarded and the plain file kept.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { zstdCompress, zstdDecompress } from '../../native/index.js';
import { fsyncDir } from '../fsutil.js';
import { tryThreadWriterLock } from '../locks.js';
import { compressTempPath } from './temps.js';
import type { FileOutcome, PassHooks, SkipReason } from './types.js';

export interface FileJob {
  home: string;
  tmpDir: string;
  id: string;
  plain: string;
  level: number;
  dryRun: boolean;
  hooks: PassHooks;
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

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Read a whole file and the stat of what was read (fstat before and after: a growing file is refused). */
async function readStable(file: string): Promise<{ bytes: Buffer; st: fs.Stats } | 'changed'> {
  const fh = await fsp.open(file, 'r');
  try {
    const st = await fh.stat();
    const bytes = Buffer.allocUnsafe(st.size);
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

export async function compressOne(job: FileJob): Promise<FileOutcome> {
  const zst = `${job.plain}.zst`;
  let read: Awaited<ReturnType<typeof readStable>>;
  try {
    if (exists(zst)) return skip(job, 'has_zst');
    const st0 = fs.lstatSync(job.plain);
    if (!st0.isFile()) return skip(job, 'not_regular');
    if (st0.size === 0) return skip(job, 'empty');
    read = await readStable(job.plain);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return skip(job, 'vanished');
    return skip(job, 'error', 0, errText(e));
  }
  if (read === 'changed') return skip(job, 'changed');
  const { bytes, st } = read;
  if (bytes[bytes.length - 1] !== 0x0a) return skip(job, 'incomplete_last_line', bytes.length);
  if (job.dryRun) return { path: job.plain, id: job.id, action: 'would_compress', bytesIn: bytes.length, bytesOut: 0 };

  const tmp = compressTempPath(job.tmpDir, path.basename(job.plain));
  let committed = false;
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
    const back = await zstdDecompress(await fsp.readFile(tmp));
    if (!back.equals(bytes)) return skip(job, 'error', bytes.length, `verification failed: ${tmp} does not decompress to the source bytes [COMPRESS_VERIFY_FAILED]`);
    await job.hooks.beforeLock?.(job.plain);

    const lock = tryThreadWriterLock(job.home, job.id);
    if (!lock) return skip(job, 'in_use', bytes.length);
    try {
      let now: fs.Stats;
      try {
        now = fs.statSync(job.plain);
      } catch {
        return skip(job, 'vanished', bytes.length);
      }
      if (!sameFile(st, now)) return skip(job, 'changed', bytes.length);
      if (exists(zst)) return skip(job, 'has_zst', bytes.length);
      await job.hooks.beforeCommit?.(job.plain);
      fs.linkSync(tmp, zst); // never replaces: a .zst that appeared meanwhile wins the race and we skip
      committed = true;
      // The .zst must be durable before the plain file goes. The unlink itself is synced once at the
      // end of the pass: if it is lost in a power cut, both equal forms come back, which the next pass resolves.
      await fsyncDirAsync(path.dirname(job.plain));
      await job.hooks.afterLink?.(job.plain);
      fs.unlinkSync(job.plain);
    } finally {
      lock.release();
    }
    return { path: job.plain, id: job.id, action: 'compressed', bytesIn: bytes.length, bytesOut: packed.length };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!committed && code === 'EEXIST') return skip(job, 'has_zst', bytes.length);
    if (code === 'ENOENT' && !exists(job.plain)) return skip(job, 'vanished', bytes.length);
    return skip(job, 'error', bytes.length, errText(e));
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Both X.jsonl and X.jsonl.zst exist (a run or a materialize was interrupted). Plain wins for readers.
 * Equal contents: finish the transition (drop the plain copy if the file is cold, else the .zst).
 * The .zst a strict prefix of the plain file (appended after a materialize): drop the stale .zst.
 * Anything else is reported and left alone.
 */
export async function reconcilePair(job: FileJob, cold: boolean): Promise<FileOutcome> {
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
      return skip(job, 'corrupt_zst', plainBytes.length, `${zst}: ${errText(e)} [ROLLOUT_ZSTD_CORRUPT]`);
    }
    const equal = z.equals(plainBytes);
    const zstIsPrefix = !equal && z.length < plainBytes.length && plainBytes.subarray(0, z.length).equals(z);
    if (!equal && !zstIsPrefix) return skip(job, 'disagree', plainBytes.length, `${job.plain} and ${zst} hold different content; the plain file is what readers see`);
    const dropPlain = equal && cold && plainBytes[plainBytes.length - 1] === 0x0a;
    if (job.dryRun) return { path: job.plain, id: job.id, action: dropPlain ? 'finished' : 'dropped_stale_zst', bytesIn: plainBytes.length, bytesOut: dropPlain ? packed.length : 0 };
    const dir = path.dirname(job.plain);
    try {
      fs.unlinkSync(dropPlain ? job.plain : zst);
      fsyncDir(dir);
    } catch (e) {
      return skip(job, 'error', plainBytes.length, errText(e));
    }
    return { path: job.plain, id: job.id, action: dropPlain ? 'finished' : 'dropped_stale_zst', bytesIn: plainBytes.length, bytesOut: dropPlain ? packed.length : 0 };
  } finally {
    lock?.release();
  }
}
