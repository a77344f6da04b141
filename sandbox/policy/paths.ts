// Path canonicalisation for policy entries. Symlinks are resolved so that a rule names the real
// directory the kernel will see; a path that does not exist yet is resolved against its nearest
// existing ancestor (the rest is appended as written).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodexError } from '../../protocol/index.js';

/** Lexically normalise an absolute POSIX path (`..`, `.`, duplicate and trailing slashes). */
export function normalizeAbsolute(p: string): string {
  return path.posix.resolve('/', p);
}

/** Canonical form of an absolute path: realpath of the nearest existing ancestor + the missing tail. */
export function canonicalPath(p: string): string {
  let cur = normalizeAbsolute(p);
  const tail: string[] = [];
  for (let hops = 0; hops < 4096; hops++) {
    try {
      const real = fs.realpathSync.native(cur);
      return tail.length === 0 ? real : path.posix.join(real, ...tail.reverse());
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EACCES' && code !== 'ELOOP') {
        throw new CodexError('SANDBOX_BAD_PATH', `cannot resolve sandbox path ${p}: ${(e as Error).message}`, { cause: e });
      }
      // A dangling symlink: follow its text lexically so a rule on it covers where it would point.
      if (code === 'ENOENT') {
        const target = readLinkOrUndefined(cur);
        if (target !== undefined) {
          cur = path.posix.resolve(path.posix.dirname(cur), target);
          continue;
        }
      }
      const parent = path.posix.dirname(cur);
      if (parent === cur) return normalizeAbsolute(p);
      tail.push(path.posix.basename(cur));
      cur = parent;
    }
  }
  throw new CodexError('SANDBOX_BAD_PATH', `too many symlinks resolving ${p}`);
}

function readLinkOrUndefined(p: string): string | undefined {
  try {
    return fs.readlinkSync(p);
  } catch {
    return undefined;
  }
}

/** True when `p` is `root` or lies below it (both absolute, normalised). */
export function isWithin(root: string, p: string): boolean {
  return root === '/' || p === root || p.startsWith(root + '/');
}

/** True when `p` lies strictly below `root`. */
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
