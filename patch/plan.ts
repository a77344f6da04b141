// Turn parsed hunks into the final state of every touched path, entirely in memory. Hunks are
// applied in order to a virtual overlay of the file system, so a later hunk sees what an earlier
// one did (as the reference does on disk), and nothing is written until every hunk has succeeded.
import * as fs from 'node:fs';
import { isAscii, isUtf8 } from 'node:buffer';
import * as path from 'node:path';
import { CodexError, assertNever, errText } from '../protocol/index.js';
import { updatedContent } from './compute.js';
import { Content } from './content.js';
import type { ParsedPatch } from './types.js';

const BOM = '\ufeff';

/** A touched path's state after the patch. */
export type FinalState =
  | { state: 'file'; content: Content; bom: boolean; mode: number | undefined; movedFrom: string | undefined; notUtf8?: boolean }
  | { state: 'absent' };

export interface PlannedPath {
  /** Absolute path (lexically resolved against cwd). */
  path: string;
  /** Path as the patch wrote it (first mention). */
  display: string;
  final: FinalState;
  /** Content on disk before the patch (undefined: no file there). */
  original: { content: Content; bom: boolean; mode: number; notUtf8: boolean } | undefined;
  changed: boolean;
  /** Something other than a folder was at the path before the patch (a file or a symlink). */
  existed: boolean;
}

export interface PatchPlan {
  cwd: string;
  /** In order of first touch. */
  paths: PlannedPath[];
  /** Folders to create (parents of added files and move destinations), shallowest first. */
  mkdirs: string[];
  summary: { added: string[]; modified: string[]; deleted: string[] };
}

interface Entry extends PlannedPath {
  final: FinalState;
  /** A folder (or a symlink to one) was there: no file hunk can use it. */
  isDir: boolean;
  /** A symlink was there (possibly dangling, possibly to a folder). */
  link: boolean;
}

/**
 * Read every file the patch names and compute its final content in memory; writes nothing, so a
 * patch that fails anywhere (context not found, missing file) leaves the disk untouched.
 *
 * @example
 *   const plan = planPatch(parsePatch(text), '/work/repo');
 *   plan.summary; // { added: [...], modified: [...], deleted: [...] }, then commitPlan(plan)
 */
export function planPatch(parsed: ParsedPatch, cwd: string): PatchPlan {
  if (parsed.hunks.length === 0) throw new CodexError('PATCH_EMPTY', 'No files were modified.');
  const entries = new Map<string, Entry>();
  const order: Entry[] = [];
  const mkdirs: string[] = [];
  const mkdirSet = new Set<string>();
  const summary = { added: [] as string[], modified: [] as string[], deleted: [] as string[] };

  const entry = (display: string): Entry => {
    const abs = path.resolve(cwd, display);
    let e = entries.get(abs);
    if (!e) {
      const original = readOriginal(abs, display);
      e = {
        path: abs,
        display,
        original: original.file,
        final: original.file
          ? { state: 'file', content: original.file.content, bom: original.file.bom, mode: original.file.mode, movedFrom: undefined, notUtf8: original.file.notUtf8 }
          : { state: 'absent' },
        changed: false,
        existed: original.file !== undefined || original.link,
        isDir: original.dir,
        link: original.link,
      };
      entries.set(abs, e);
      order.push(e);
    }
    return e;
  };

  const isDir = (e: Entry) => e.isDir && !e.changed;

  const ensureParents = (abs: string, display: string) => {
    const missing: string[] = [];
    for (let d = path.dirname(abs); ; d = path.dirname(d)) {
      if (mkdirSet.has(d)) break;
      const e = entries.get(d);
      if (e && e.final.state === 'file') {
        throw new CodexError('PATCH_WRITE_FAILED', `Failed to create parent directories for ${display}: ${e.display} is a file`);
      }
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(d);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') {
          throw new CodexError('PATCH_WRITE_FAILED', `Failed to create parent directories for ${display}: ${errText(err)}`);
        }
      }
      if (st) {
        if (!st.isDirectory()) throw new CodexError('PATCH_WRITE_FAILED', `Failed to create parent directories for ${display}: ${d} is not a directory`);
        break;
      }
      missing.push(d);
      if (path.dirname(d) === d) break;
    }
    for (const d of missing.reverse()) {
      mkdirSet.add(d);
      mkdirs.push(d);
    }
  };

  const writeTo = (e: Entry, content: Content, bom: boolean, mode: number | undefined, movedFrom: string | undefined) => {
    if (isDir(e)) throw new CodexError('PATCH_IS_DIRECTORY', `Failed to write file ${e.display}: it is a directory`);
    ensureParents(e.path, e.display);
    const keepMode = e.final.state === 'file' ? e.final.mode : undefined;
    e.final = { state: 'file', content, bom, mode: mode ?? keepMode, movedFrom };
    e.changed = true;
  };

  for (const hunk of parsed.hunks) {
    switch (hunk.type) {
      case 'add': {
        const e = entry(hunk.path);
        const bom = hunk.contents.startsWith(BOM);
        writeTo(e, Content.of(bom ? hunk.contents.slice(1) : hunk.contents), bom, undefined, undefined);
        summary.added.push(hunk.path);
        break;
      }
      case 'delete': {
        const e = entry(hunk.path);
        // A symlink is followed to decide (as 0.169 does): to a folder or to nothing, it is refused.
        if (isDir(e)) throw new CodexError('PATCH_IS_DIRECTORY', `Failed to delete file ${hunk.path}: it is a directory`);
        if (e.final.state !== 'file') throw new CodexError('PATCH_FILE_NOT_FOUND', `Failed to delete file ${hunk.path}: no such file`);
        e.final = { state: 'absent' };
        e.changed = true;
        summary.deleted.push(hunk.path);
        break;
      }
      case 'update': {
        const e = entry(hunk.path);
        if (isDir(e)) throw new CodexError('PATCH_IS_DIRECTORY', `Failed to read file to update ${hunk.path}: it is a directory`);
        if (e.final.state !== 'file') throw new CodexError('PATCH_FILE_NOT_FOUND', `Failed to read file to update ${hunk.path}: no such file`);
        const cur = e.final;
        if (cur.notUtf8) throw new CodexError('PATCH_NOT_UTF8', `Failed to read file to update ${hunk.path}: it is not valid UTF-8 text (file left untouched)`);
        const text = updatedContent(cur.content, hunk.chunks, hunk.path);
        if (hunk.movePath !== undefined) {
          const dest = entry(hunk.movePath);
          if (dest === e) {
            // Moving a file onto itself keeps it (0.169 deletes it).
            writeTo(e, text, cur.bom, cur.mode, undefined);
          } else {
            writeTo(dest, text, cur.bom, cur.mode, e.path);
            e.final = { state: 'absent' };
            e.changed = true;
          }
          summary.modified.push(hunk.movePath);
        } else {
          writeTo(e, text, cur.bom, cur.mode, cur.movedFrom);
          summary.modified.push(hunk.path);
        }
        break;
      }
      default:
        assertNever(hunk, 'hunk');
    }
  }
  return { cwd, paths: order, mkdirs, summary };
}

function readOriginal(
  abs: string,
  display: string,
): { file?: { content: Content; bom: boolean; mode: number; notUtf8: boolean }; dir: boolean; link: boolean } {
  let st: fs.Stats;
  let link = false;
  try {
    st = fs.lstatSync(abs);
    if (st.isSymbolicLink()) {
      link = true;
      st = fs.statSync(abs);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { dir: false, link };
    throw new CodexError('PATCH_FILE_NOT_FOUND', `Failed to read ${display}: ${errText(err)}`);
  }
  if (st.isDirectory()) return { dir: true, link };
  if (!st.isFile()) throw new CodexError('PATCH_WRITE_FAILED', `Refusing to patch ${display}: not a regular file`);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(abs);
  } catch (err) {
    throw new CodexError('PATCH_FILE_NOT_FOUND', `Failed to read ${display}: ${errText(err)}`);
  }
  const mode = st.mode & 0o7777;
  // Not-UTF-8 files are an error only when a hunk needs their text: deleting or overwriting one works.
  // ASCII (the common case) is UTF-8 already; it is matched and written as these very bytes.
  if (isAscii(buf)) return { file: { content: Content.ascii(buf), bom: false, mode, notUtf8: false }, dir: false, link };
  if (!isUtf8(buf)) return { file: { content: Content.of(''), bom: false, mode, notUtf8: true }, dir: false, link };
  const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  const raw = bom ? buf.subarray(3) : buf;
  const content = isAscii(raw) ? Content.ascii(raw) : Content.of(raw.toString('utf8'));
  return { file: { content, bom, mode, notUtf8: false }, dir: false, link };
}
