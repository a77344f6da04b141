// Every path a patch touches, for the core's sandbox check. Pure: no file system access.
import * as path from 'node:path';
import { assertNever } from '../protocol/index.js';
import type { ParsedPatch } from './types.js';

export type PathRole = 'add' | 'delete' | 'update' | 'move-source' | 'move-destination';

export interface TouchedPath {
  /** Absolute, lexically resolved against cwd (`..` collapsed; symlinks not followed). */
  path: string;
  /** As written in the patch. */
  display: string;
  role: PathRole;
  /** True when the path is outside cwd (absolute elsewhere or escaping through `..`). */
  outsideCwd: boolean;
}

/**
 * Every path a parsed patch would add, delete, update or move to, resolved against `cwd`, with
 * whether it leaves cwd: what the core checks against the sandbox policy before applying. Pure.
 *
 * @example
 *   touchedPaths(parsePatch(text), '/work/repo');
 *   // [{ path: '/work/repo/a.txt', display: 'a.txt', role: 'add', outsideCwd: false }]
 */
export function touchedPaths(parsed: ParsedPatch, cwd: string): TouchedPath[] {
  const out: TouchedPath[] = [];
  const push = (display: string, role: PathRole) => {
    const abs = path.resolve(cwd, display);
    const r = path.relative(cwd, abs);
    out.push({ path: abs, display, role, outsideCwd: r === '..' || r.startsWith('..' + path.sep) || path.isAbsolute(r) });
  };
  for (const h of parsed.hunks) {
    switch (h.type) {
      case 'add':
        push(h.path, 'add');
        break;
      case 'delete':
        push(h.path, 'delete');
        break;
      case 'update':
        if (h.movePath === undefined) push(h.path, 'update');
        else {
          push(h.path, 'move-source');
          push(h.movePath, 'move-destination');
        }
        break;
      default:
        assertNever(h, 'hunk');
    }
  }
  return out;
}
