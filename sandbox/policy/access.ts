// access(path) for any path a process might name: canonicalise it the way the kernel would see it.
import { accessOf, type Access, type EffectivePolicy } from '../types.js';
import { canonicalPath } from './paths.js';

/**
 * Access the policy grants to `p` as a process would name it: relative paths start at the policy's
 * cwd, and the path is walked like the kernel does (symlinks followed where they occur, `..` after
 * a symlink goes to the target's parent).
 */
export function accessFor(policy: EffectivePolicy, p: string): Access {
  if (policy.unrestricted) return 'write';
  return accessOf(policy.rules, canonicalPath(p.startsWith('/') ? p : `${policy.cwd}/${p}`));
}
