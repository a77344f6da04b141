// Write a computed plan to disk: every new content goes to a temp file beside its target first;
// only when all of them are written are they renamed into place, then deletions happen. A failure
// before the renames removes the temp files and the folders it made, so the tree is untouched.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodexError, errText } from '../protocol/index.js';
import type { PatchPlan, PlannedPath } from './plan.js';

const BOM = '\ufeff';

interface Staged {
  p: PlannedPath;
  target: string;
  temp: string;
}

/** Where a write to `abs` lands: an existing symlink is followed so the link itself survives. */
function writeTarget(abs: string): string {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
  } catch {
    return abs;
  }
  if (!st.isSymbolicLink()) return abs;
  try {
    return fs.realpathSync(abs);
  } catch {
    return path.resolve(path.dirname(abs), fs.readlinkSync(abs));
  }
}

function preflight(plan: PatchPlan): void {
  for (const p of plan.paths) {
    if (!p.changed) continue;
    if (p.final.state === 'file' && p.original && (p.original.mode & 0o222) === 0) {
      throw new CodexError('PATCH_READ_ONLY', `Failed to write file ${p.display}: the file is read-only (mode ${(p.original.mode & 0o777).toString(8)})`);
    }
  }
}

/**
 * Apply a plan from `planPatch`: each file is written to a temp file and renamed over its target,
 * after every precondition (read-only file, folder in the way) was checked, so it is all or nothing.
 *
 * @example
 *   const plan = planPatch(parsePatch(text), cwd);
 *   commitPlan(plan); // throws CodexError (PATCH_WRITE_FAILED, PATCH_READ_ONLY, …) on failure
 */
export function commitPlan(plan: PatchPlan): void {
  preflight(plan);
  const made: string[] = [];
  const staged: Staged[] = [];
  try {
    for (const d of plan.mkdirs) {
      try {
        fs.mkdirSync(d);
        made.push(d);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw failure(`Failed to create directory ${rel(plan, d)}`, err);
      }
    }
    for (const p of plan.paths) {
      if (!p.changed || p.final.state !== 'file') continue;
      const target = writeTarget(p.path);
      const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${staged.length}.apply_patch.tmp`);
      const final = p.final;
      const mode = final.mode ?? p.original?.mode;
      let fd: number;
      try {
        fd = fs.openSync(temp, 'wx', mode ?? 0o666);
      } catch (err) {
        throw failure(`Failed to write file ${p.display}`, err);
      }
      staged.push({ p, target, temp });
      try {
        final.content.writeTo(fd, final.bom ? BOM : '');
        if (mode !== undefined) fs.fchmodSync(fd, mode);
        const o = p.original;
        if (o && process.getuid?.() === 0) keepOwner(fd, target);
      } catch (err) {
        throw failure(`Failed to write file ${p.display}`, err);
      } finally {
        fs.closeSync(fd);
      }
    }
  } catch (err) {
    for (const s of staged) rmQuiet(s.temp);
    for (const d of made.reverse()) {
      try {
        fs.rmdirSync(d);
      } catch {
        /* not empty or gone: leave it */
      }
    }
    throw err;
  }
  for (const s of staged) {
    try {
      fs.renameSync(s.temp, s.target);
    } catch (err) {
      rmQuiet(s.temp);
      throw failure(`Failed to write file ${s.p.display}`, err, false);
    }
  }
  for (const p of plan.paths) {
    if (!p.changed || p.final.state !== 'absent' || !p.existed) continue;
    try {
      fs.unlinkSync(p.path);
    } catch (err) {
      throw failure(`Failed to delete file ${p.display}`, err, false);
    }
  }
}

function keepOwner(fd: number, target: string): void {
  try {
    const st = fs.statSync(target);
    fs.fchownSync(fd, st.uid, st.gid);
  } catch {
    /* best effort */
  }
}

function rmQuiet(p: string): void {
  try {
    fs.unlinkSync(p);
  } catch {
    /* already gone */
  }
}

function rel(plan: PatchPlan, p: string): string {
  const r = path.relative(plan.cwd, p);
  return r === '' ? '.' : r;
}

function failure(what: string, err: unknown, untouched = true): CodexError {
  if (err instanceof CodexError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const c = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'PATCH_READ_ONLY' : code === 'EISDIR' ? 'PATCH_IS_DIRECTORY' : 'PATCH_WRITE_FAILED';
  return new CodexError(c, `${what}: ${errText(err)}${untouched ? ' (nothing was changed)' : ''}`, { cause: err });
}
