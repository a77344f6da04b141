// Atomic replacement of config.toml: temp file in the same directory, fsync, rename, fsync the dir.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodexError } from '../../protocol/index.js';

export function writeFileAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  let mode = 0o600;
  try {
    mode = fs.statSync(file).mode & 0o7777;
  } catch {
    /* new file */
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    const fd = fs.openSync(tmp, 'wx', mode);
    try {
      fs.writeFileSync(fd, text);
      fs.fchmodSync(fd, mode);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    fsyncDir(dir);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    const msg = e instanceof Error ? e.message : String(e);
    throw new CodexError('CONFIG_WRITE', `cannot write ${file}: ${msg}`, { cause: e });
  }
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    /* some filesystems refuse directory fsync; the rename is still done */
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
