// The reference's success report: added, then modified (moves by destination), then deleted.
import type { PatchPlan } from './plan.js';

export function formatSummary(summary: PatchPlan['summary']): string {
  let s = 'Success. Updated the following files:\n';
  for (const p of summary.added) s += `A ${p}\n`;
  for (const p of summary.modified) s += `M ${p}\n`;
  for (const p of summary.deleted) s += `D ${p}\n`;
  return s;
}
