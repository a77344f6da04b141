// Access lookups: in a rule table (longest match) and for any path a process might name.
import type { Access, EffectivePolicy, FsRule } from '../types.js';
import { canonicalPath, isWithin } from './paths.js';

const RANK: Record<Access, number> = { read: 0, write: 1, none: 2 };

/**
 * Access granted to an absolute canonical path by a rule table (longest match; ties none > write > read).
 *
 * @example
 *   accessOf([{ path: '/', access: 'read' }, { path: '/w', access: 'write' }], '/w/a'); // 'write'
 */
export function accessOf(rules: readonly FsRule[], p: string): Access {
  let best: FsRule | undefined;
  for (const r of rules) {
    if (!isWithin(r.path, p)) continue;
    if (!best || r.path.length > best.path.length || (r.path.length === best.path.length && RANK[r.access] > RANK[best.access])) best = r;
  }
  return best ? best.access : 'none';
}

/**
 * Access the policy grants to `p` as a process would name it: relative paths start at the policy's
 * cwd, and the path is walked like the kernel does (symlinks followed where they occur, `..` after
 * a symlink goes to the target's parent).
 *
 * @example
 *   accessFor(policy, 'src/a.ts'); // 'write' when the policy's cwd is writable
 */
export function accessFor(policy: EffectivePolicy, p: string): Access {
  if (policy.unrestricted) return 'write';
  return accessOf(policy.rules, canonicalPath(p.startsWith('/') ? p : `${policy.cwd}/${p}`));
}
