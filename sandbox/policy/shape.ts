// Structural facts about a rule table that decide which backends can enforce it exactly.
import type { FsRule } from '../types.js';
import { isStrictlyWithin } from './paths.js';

export interface PolicyShape {
  /** `/` is readable by a rule on `/` itself (the legacy full-read model). */
  fullRead: boolean;
  /** Any `none` rule. */
  hasNone: boolean;
  /** A `read` or `none` rule strictly under a `write` rule (protected paths, carveouts). */
  hasCarveoutUnderWrite: boolean;
  /** A `write` rule strictly under a `read` rule that is itself under a `write` rule (reopened under a read-only carveout). */
  hasWriteReopenedUnderReadCarveout: boolean;
  /** A `write` rule strictly under a `none` rule. */
  hasWriteUnderNone: boolean;
  /** Any `write` rule at all. */
  hasWrite: boolean;
}

/**
 * Structural facts of a rule table (carveouts under writable roots, `none` rules, …) that decide which backends can enforce it exactly.
 *
 * @example
 *   policyShape([{ path: '/', access: 'read' }]).fullRead; // true
 */
export function policyShape(rules: readonly FsRule[]): PolicyShape {
  const writes = rules.filter((r) => r.access === 'write');
  const carveouts = rules.filter((r) => r.access !== 'write' && writes.some((w) => isStrictlyWithin(w.path, r.path)));
  const readCarveouts = carveouts.filter((r) => r.access === 'read');
  const nones = rules.filter((r) => r.access === 'none');
  return {
    fullRead: rules.some((r) => r.path === '/' && r.access === 'read'),
    hasNone: nones.length > 0,
    hasCarveoutUnderWrite: carveouts.length > 0,
    hasWriteReopenedUnderReadCarveout: writes.some((w) => readCarveouts.some((c) => isStrictlyWithin(c.path, w.path))),
    hasWriteUnderNone: writes.some((w) => nones.some((n) => isStrictlyWithin(n.path, w.path))),
    hasWrite: writes.length > 0,
  };
}
