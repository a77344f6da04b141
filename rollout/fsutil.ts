// File-system steps shared by the store's readers and writers (the durable ones for writers).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from './uuid.js';

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A directory's names, or undefined when it cannot be read (absent, not a directory, no access). */
export function readdirNames(dir: string): string[] | undefined {
  try {
    return fs.readdirSync(dir);
  } catch {
    return undefined;
  }
}

export function existsSync(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** A temp name in the same directory (so rename/link stay on one filesystem). */
export function tempBeside(file: string, tag: string): string {
  return path.join(path.dirname(file), `.${tag}-${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Write `bytes` to `tmp`, fsync, and give it `mode` and the times of `like` when given. */
export function writeDurable(tmp: string, bytes: Buffer, like?: fs.Stats): void {
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, like ? like.mode & 0o777 : 0o644);
  try {
    let off = 0;
    while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
    if (like) fs.futimesSync(fd, like.atime, like.mtime);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** rename(2) across directories, creating the target directory first. */
export function moveFile(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.renameSync(from, to);
}
