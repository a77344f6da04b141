// The quarantine: where maintenance puts a store file whose bytes it cannot account for (nothing
// parseable in it, or damage a repair would cut beyond a torn fragment), instead of deleting or
// shrinking it. `$CODEX_HOME/quarantine/<UTC stamp>/<path relative to CODEX_HOME>`: outside both
// rollout trees, so no reader lists it, and the original place can be read back from the path.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fsyncDir } from '../fsutil.js';

export const QUARANTINE_DIR = 'quarantine';

export interface QuarantinedFile {
  path: string;
  /** Where it was, relative to CODEX_HOME. */
  from: string;
  bytes: number;
  /** When it was moved (the stamp folder), ISO. */
  at: string;
}

function utcStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Where `file` (inside `home`) goes when quarantined at `nowMs`. Pure. */
export function quarantinePath(home: string, file: string, nowMs: number): string {
  const rel = path.relative(home, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`${file} is not inside ${home}`);
  return path.join(home, QUARANTINE_DIR, utcStamp(nowMs), rel);
}

/**
 * Move `file` whole into the quarantine; returns its new path. rename(2) keeps every byte, mode and
 * time; across filesystems (a symlinked tree) the copy is synced and compared before the unlink.
 */
export function moveToQuarantine(home: string, file: string, nowMs: number): string {
  let to = quarantinePath(home, file, nowMs);
  for (let n = 2; fs.existsSync(to); n++) to = `${quarantinePath(home, file, nowMs)}.${n}`;
  fs.mkdirSync(path.dirname(to), { recursive: true });
  try {
    fs.renameSync(file, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    fs.copyFileSync(file, to, fs.constants.COPYFILE_EXCL);
    const fd = fs.openSync(to, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (!fs.readFileSync(to).equals(fs.readFileSync(file))) {
      fs.rmSync(to, { force: true });
      throw new Error(`copy of ${file} into the quarantine differs; left in place`);
    }
    fs.unlinkSync(file);
  }
  fsyncDir(path.dirname(to));
  fsyncDir(path.dirname(file));
  return to;
}

/** Every file in the quarantine, oldest move first. */
export function listQuarantine(home: string): QuarantinedFile[] {
  const top = path.join(home, QUARANTINE_DIR);
  const out: QuarantinedFile[] = [];
  let stamps: string[];
  try {
    stamps = fs.readdirSync(top).sort();
  } catch {
    return out;
  }
  for (const stamp of stamps) {
    const base = path.join(top, stamp);
    const visit = (dir: string) => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) visit(p);
        else {
          let bytes = 0;
          try {
            bytes = fs.lstatSync(p).size;
          } catch {
            continue;
          }
          const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
          out.push({ path: p, from: path.relative(base, p), bytes, at: m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : stamp });
        }
      }
    };
    visit(base);
  }
  return out;
}
