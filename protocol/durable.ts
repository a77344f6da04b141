// Durable file replacement, the one helper for it (config.toml edits, the rollout store's rewrites):
// a temp file beside the target → write → fsync → rename over it → fsync the directory, so the
// target is never missing or half written. It sits here, at the bottom, so core and rollout share it.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Removes the file at `p` when it is there; any other failure (EISDIR, EACCES…) is thrown. Not
 * fs.rmSync: in node 20 that loads a whole rimraf module at its first call (~0.5 ms), and this runs
 * at every sandboxed start.
 *
 * @example
 *   removeFile(tmp); // gone, or was never made
 */
export function removeFile(p: string): void {
  try {
    fs.unlinkSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/**
 * fsync a directory, so a rename or unlink in it survives a crash. A filesystem that cannot fsync
 * directories (EINVAL) is let be: the rename itself is done.
 *
 * @example
 *   fs.renameSync(tmp, file);
 *   fsyncDir(path.dirname(file));
 */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A fresh temp name in the file's directory (so rename and link stay on one filesystem):
 * `.<tag>-<name>.<pid>.<hex>.tmp`. Web crypto's getRandomValues, not node:crypto, whose import
 * would load ~16 modules at every start.
 *
 * @example
 *   tempBeside('/s/a.jsonl', 'rollout-manage'); // '/s/.rollout-manage-a.jsonl.4242.9f3a01bc.tmp'
 */
export function tempBeside(file: string, tag: string): string {
  const hex = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(4))).toString('hex');
  return path.join(path.dirname(file), `.${tag}-${path.basename(file)}.${process.pid}.${hex}.tmp`);
}

/**
 * Create `tmp` (it must not exist), write `bytes`, give it `mode` (exactly: the umask does not
 * apply) and the times of `like` when given, and fsync it.
 *
 * @example
 *   writeDurable(tmp, Buffer.from('x\n'), fs.statSync(file)); // same mode and times as `file`
 */
export function writeDurable(tmp: string, bytes: Buffer, like?: fs.Stats, mode = like ? like.mode & 0o777 : 0o644): void {
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode);
  try {
    let off = 0;
    while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
    fs.fchmodSync(fd, mode);
    if (like) fs.futimesSync(fd, like.atime, like.mtime);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export interface AtomicWriteOptions {
  /** Mode and times to give the new file (default: mode 0644 or `mode`, now). */
  like?: fs.Stats;
  /** Mode of the new file when `like` is not given. */
  mode?: number;
  /** Temp name tag (see tempBeside): the store's doctor recognises its own temps by it. */
  tag: string;
  /**
   * Called after the temp file is complete and before the rename; returning false abandons the
   * write (the temp file is removed). Used to detect a concurrent append to the target.
   */
  beforeRename?: () => boolean;
}

/**
 * Replace `target` with `data` atomically and durably; false when `beforeRename` vetoed it. Errors
 * are thrown as they come (the caller names them); the temp file never stays behind.
 *
 * @example
 *   writeFileAtomic(path.join(home, 'config.toml'), 'model = "o3"\n', { mode: 0o600, tag: 'codex-config' });
 */
export function writeFileAtomic(target: string, data: Buffer | string, opts: AtomicWriteOptions): boolean {
  const tmp = tempBeside(target, opts.tag);
  try {
    writeDurable(tmp, typeof data === 'string' ? Buffer.from(data) : data, opts.like, opts.like ? undefined : opts.mode);
    if (opts.beforeRename && !opts.beforeRename()) {
      removeFile(tmp);
      return false;
    }
    fs.renameSync(tmp, target);
  } catch (e) {
    removeFile(tmp);
    throw e;
  }
  fsyncDir(path.dirname(target));
  return true;
}
