// The reference's success report: added, then modified (moves by destination), then deleted.
import type { PatchPlan } from './plan.js';

/**
 * The success report printed on stdout: added (`A`), then modified (`M`, moves under their
 * destination), then deleted (`D`) paths, as the reference prints them.
 *
 * @example
 *   formatSummary({ added: ['a.txt'], modified: [], deleted: [] });
 *   // 'Success. Updated the following files:\nA a.txt\n'
 */
export function formatSummary(summary: PatchPlan['summary']): string {
  let s = 'Success. Updated the following files:\n';
  for (const p of summary.added) s += `A ${p}\n`;
  for (const p of summary.modified) s += `M ${p}\n`;
  for (const p of summary.deleted) s += `D ${p}\n`;
  return s;
}
