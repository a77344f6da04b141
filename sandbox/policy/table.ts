// Pure operations on effective rule tables (no I/O): normalisation, comparison, specificity.
import type { Access, FsRule } from '../types.js';
import { accessOf } from './access.js';

const TIE_RANK: Record<Access, number> = { read: 0, write: 1, none: 2 };

/**
 * One rule per path (ties none > write > read), sorted by path.
 *
 * @example
 *   normalizeRules([{ path: '/a', access: 'read' }, { path: '/a', access: 'none' }]); // [{ path: '/a', access: 'none' }]
 */
export function normalizeRules(rules: readonly FsRule[]): FsRule[] {
  const best = new Map<string, Access>();
  for (const r of rules) {
    const prev = best.get(r.path);
    if (prev === undefined || TIE_RANK[r.access] > TIE_RANK[prev]) best.set(r.path, r.access);
  }
  return [...best].map(([path, access]) => ({ path, access })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A child name that no real rule uses: stands for "any path strictly below p that no rule names". */
export function probeBelow(p: string): string {
  return (p === '/' ? '' : p) + '/\u0000probe';
}

/**
 * Paths that together decide every path: each rule path and a generic child below it. Two tables that
 * agree on these points (over the union of both tables' paths) agree on every path.
 *
 * @example
 *   decisionPoints([{ path: '/w', access: 'write' }]); // ['/', …, '/w', …]: every path where access may change
 */
export function decisionPoints(...tables: ReadonlyArray<readonly FsRule[]>): string[] {
  const pts = new Set<string>(['/', probeBelow('/')]);
  for (const t of tables) for (const r of t) {
    pts.add(r.path);
    pts.add(probeBelow(r.path));
  }
  return [...pts];
}

/**
 * True when both tables grant the same access to every path.
 *
 * @example
 *   sameAccess(resolved.rules, parsePolicyJson(json).rules); // true after a round trip
 */
export function sameAccess(a: readonly FsRule[], b: readonly FsRule[]): boolean {
  return decisionPoints(a, b).every((p) => accessOf(a, p) === accessOf(b, p));
}

/**
 * Paths whose access differs between the tables (decision points only), for diagnostics.
 *
 * @example
 *   accessDiff([{ path: '/', access: 'read' }], [{ path: '/', access: 'write' }]); // [{ path: '/', a: 'read', b: 'write' }, …]
 */
export function accessDiff(a: readonly FsRule[], b: readonly FsRule[]): Array<{ path: string; a: Access; b: Access }> {
  const out: Array<{ path: string; a: Access; b: Access }> = [];
  for (const p of decisionPoints(a, b)) {
    const x = accessOf(a, p);
    const y = accessOf(b, p);
    if (x !== y) out.push({ path: p, a: x, b: y });
  }
  return out;
}

