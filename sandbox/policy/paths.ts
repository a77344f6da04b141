// Path canonicalisation for policy entries. Symlinks are resolved so that a rule names the real
// directory the kernel will see; a path that does not exist yet is resolved against its nearest
// existing ancestor (the rest is appended as written).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodexError } from '../../protocol/index.js';
import { isWindowsInternal } from './windows-paths.js';

/** Lexically normalise an absolute POSIX path (`..`, `.`, duplicate and trailing slashes). */
export function normalizeAbsolute(p: string): string {
  return path.posix.resolve('/', p);
}

/**
 * Canonical form of an absolute path, resolved the way the kernel walks it: component by component,
 * following symlinks as they are met (so `link/..` is the parent of the link's target, not of the
 * link). Once a component does not exist, the rest is taken as written: a path that does not exist yet
 * is resolved against its nearest existing ancestor. Dangling symlinks are followed through their text.
 *
 * @example
 *   canonicalPath('/tmp/../etc//hosts'); // '/etc/hosts' (symlinks along the way resolved)
 */
export function canonicalPath(p: string): string {
  // A Windows path mapped into the table's space (`/c:/…`) is never looked up on this disk.
  if (isWindowsInternal(p)) return normalizeAbsolute(p);
  const queue = p.split('/');
  let cur = '/';
  let missing = false;
  let hops = 0;
  while (queue.length > 0) {
    const seg = queue.shift()!;
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      cur = path.posix.dirname(cur);
      continue;
    }
    const next = cur === '/' ? `/${seg}` : `${cur}/${seg}`;
    if (missing) {
      cur = next;
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.lstatSync(next);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EACCES' && code !== 'ENAMETOOLONG') {
        throw new CodexError('SANDBOX_BAD_PATH', `cannot resolve sandbox path ${p}: ${(e as Error).message}`, { cause: e });
      }
      missing = true;
      cur = next;
      continue;
    }
    if (st.isSymbolicLink() && hops < MAX_SYMLINK_HOPS) {
      hops++;
      const target = fs.readlinkSync(next);
      if (target.startsWith('/')) cur = '/';
      queue.unshift(...target.split('/'));
      continue;
    }
    // A symlink loop (too many hops) is left as written from here on, like a missing path.
    if (st.isSymbolicLink()) missing = true;
    cur = next;
  }
  return cur;
}

const MAX_SYMLINK_HOPS = 40;

/**
 * True when `p` is `root` or lies below it (both absolute, normalised).
 *
 * @example
 *   isWithin('/w', '/w'); // true
 *   isWithin('/w', '/wx'); // false
 */
export function isWithin(root: string, p: string): boolean {
  if (root === '/') return true;
  const r = root.endsWith('/') ? root.slice(0, -1) : root;
  return p === r || p.startsWith(r + '/');
}

/**
 * True when `p` lies strictly below `root`.
 *
 * @example
 *   isStrictlyWithin('/w', '/w/a'); // true
 *   isStrictlyWithin('/w', '/w'); // false
 */
export function isStrictlyWithin(root: string, p: string): boolean {
  return p !== root && isWithin(root, p);
}

/** Expand `~` / `~/x` against HOME; anything else is returned unchanged. */
export function expandHome(p: string, home: string | undefined): string {
  if (p !== '~' && !p.startsWith('~/')) return p;
  if (!home || !home.startsWith('/')) {
    throw new CodexError('SANDBOX_BAD_PATH', `filesystem path \`${p}\` uses ~ but HOME is not set to an absolute path`);
  }
  return p === '~' ? home : path.posix.join(home, p.slice(2));
}

export function containsGlob(p: string): boolean {
  return /[*?[\]]/.test(p);
}
