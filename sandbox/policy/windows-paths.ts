// Windows path syntax for the policy model. The rule table works on `/`-separated absolute paths, so a
// Windows path is mapped into that space once, at the boundary: `C:\Users\me` → `/c:/users/me`,
// `\\server\share\x` → `/unc:/server/share/x`. Windows compares names case-insensitively, so the
// internal form is folded to lower case: two spellings of one folder must never pass a nesting check
// apart (that would fail open). `/` alone (`:root`) stands for every drive. No disk access: a Windows
// policy can be resolved and explained on any machine.
import { CodexError } from '../../protocol/index.js';

/** `/c:/…` or `/unc:/…`: a segment name no POSIX system uses at its root. */
const INTERNAL = /^\/(?:[a-z]|unc):(?:\/|$)/;

/**
 * True when `p` is the internal (POSIX-like) spelling of a Windows path: `/c:/…`.
 *
 * @example
 *   isWindowsInternal('/c:/Users'); // true
 *   isWindowsInternal('/usr'); // false
 */
export function isWindowsInternal(p: string): boolean {
  return INTERNAL.test(p);
}

function bad(p: string, why: string): CodexError {
  return new CodexError('SANDBOX_BAD_PATH', `not an absolute Windows path: ${JSON.stringify(p)} (${why})`);
}

/** Lexical `.`/`..`/duplicate-separator normalisation of segments below a fixed root. */
function normSegments(segs: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of segs) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return out;
}

/**
 * An absolute Windows path (`C:\x`, `c:/x`, mixed separators, `\\server\share\x`, `\\?\C:\x`,
 * `\\?\UNC\server\share\x`) in the internal form. Throws SANDBOX_BAD_PATH for drive-relative (`C:x`),
 * rooted-but-driveless (`\x`), relative and device (`\\.\`) paths. Already-internal paths pass through.
 *
 * @example
 *   windowsToInternal('C:\\Users\\me'); // '/c:/Users/me'
 */
export function windowsToInternal(input: string): string {
  // Already internal: parse its Windows spelling again, so `..` can never climb above the drive.
  if (isWindowsInternal(input.toLowerCase())) return windowsToInternal(internalToWindows(input.toLowerCase()));
  let p = input.replace(/\//g, '\\');
  if (p.startsWith('\\\\.\\')) throw bad(input, 'device paths are not supported');
  if (p.startsWith('\\\\?\\')) {
    p = p.slice(4);
    if (/^unc\\/i.test(p)) p = '\\\\' + p.slice(4);
  }
  let root: string;
  let rest: string;
  const drive = /^([A-Za-z]):(.*)$/s.exec(p);
  if (drive) {
    if (drive[2] !== '' && !drive[2]!.startsWith('\\')) throw bad(input, 'drive-relative');
    root = `${drive[1]!.toLowerCase()}:`;
    rest = drive[2]!;
  } else if (p.startsWith('\\\\')) {
    const parts = p.slice(2).split('\\');
    if (parts.length < 2 || !parts[0] || !parts[1]) throw bad(input, 'a UNC path needs \\\\server\\share');
    root = `unc:/${parts[0]}/${parts[1]}`;
    rest = parts.slice(2).join('\\');
  } else if (p.startsWith('\\')) {
    throw bad(input, 'no drive letter');
  } else {
    throw bad(input, 'relative');
  }
  const segs = normSegments(rest.split('\\'));
  if (segs.some((s) => /[<>"|?*\u0000]/.test(s) || s.includes(':'))) throw bad(input, 'invalid character in a name');
  return ['', root, ...segs].join('/').toLowerCase();
}

/**
 * True when `p` parses as an absolute Windows path (or is already internal).
 *
 * @example
 *   isWindowsAbsolute('C:\\x'); // true
 *   isWindowsAbsolute('x\\y'); // false
 */
export function isWindowsAbsolute(p: string): boolean {
  try {
    windowsToInternal(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * The internal form shown in Windows syntax (`/` = every drive).
 *
 * @example
 *   internalToWindows('/c:/Users/me'); // 'C:\\Users\\me'
 */
export function internalToWindows(p: string): string {
  if (p === '/') return '(every drive)';
  const m = /^\/([a-z]):(\/.*)?$/.exec(p);
  if (m) return `${m[1]!.toUpperCase()}:${(m[2] ?? '/').replace(/\//g, '\\')}`;
  const u = /^\/unc:\/(.*)$/.exec(p);
  if (u) return `\\\\${u[1]!.replace(/\//g, '\\')}`;
  return p;
}

/** A relative Windows subpath (`a\b`, `a/b`) in internal form (folded, `/`-separated). */
export function windowsRelative(sub: string): string {
  return sub.replace(/\\/g, '/').toLowerCase();
}
