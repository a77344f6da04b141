// access(path) for any path a process might name: canonicalise it the way the kernel would see it.
import * as path from 'node:path';
import { accessOf, type Access, type EffectivePolicy } from '../types.js';
import { canonicalPath } from './paths.js';

/** Access the policy grants to `p` (relative paths are taken against the policy's cwd; symlinks resolved). */
export function accessFor(policy: EffectivePolicy, p: string): Access {
  if (policy.unrestricted) return 'write';
  return accessOf(policy.rules, canonicalPath(path.posix.resolve(policy.cwd, p)));
}
