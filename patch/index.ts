// apply_patch: grammar, matcher, in-memory planning and atomic application of a patch.
//
//   const parsed = parsePatch(text);            // pure; throws CodexError PATCH_PARSE
//   touchedPaths(parsed, cwd);                  // pure; every add/delete/update/move path, for policy checks
//   const plan = planPatch(parsed, cwd);        // reads files, computes every new content; writes nothing
//   commitPlan(plan);                           // temp file + rename per file; all or nothing
//   formatSummary(plan.summary);                // "Success. Updated the following files: …"
export { runApplyPatchCli } from './cli.js';
export { parsePatch } from './parser.js';
export { planPatch, type PatchPlan, type PlannedPath, type FinalState } from './plan.js';
export { commitPlan } from './commit.js';
export { touchedPaths, type TouchedPath, type PathRole } from './paths.js';
export { formatSummary } from './summary.js';
export { applyChunks } from './compute.js';
export { seekSequence } from './seek.js';
export type { Hunk, UpdateChunk, ChunkLine, ParsedPatch } from './types.js';

import { commitPlan } from './commit.js';
import { parsePatch } from './parser.js';
import { planPatch, type PatchPlan } from './plan.js';
import { formatSummary } from './summary.js';

/** Parse, plan and apply a patch in `cwd`; returns the success report (stdout of the CLI). */
export function applyPatch(text: string, cwd: string): { summary: string; plan: PatchPlan } {
  const plan = planPatch(parsePatch(text), cwd);
  commitPlan(plan);
  return { summary: formatSummary(plan.summary), plan };
}
