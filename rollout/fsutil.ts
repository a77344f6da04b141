// File-system steps shared by the store's readers and writers (the durable ones, fsyncDir and the
// atomic write, are protocol/durable.ts, shared with core).
import * as fs from 'node:fs';
import * as path from 'node:path';

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

/** rename(2) across directories, creating the target directory first. */
export function moveFile(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.renameSync(from, to);
}
