// apply_patch: grammar, matcher, in-memory planning and atomic application of a patch.
// Exports only what the core and the tests (through this path) use; the CLI is loaded lazily by
// entry/main.ts straight from ./cli.js so `apply_patch` never loads more than it needs.
//
//   const parsed = parsePatch(text);            // pure; throws CodexError PATCH_PARSE
//   touchedPaths(parsed, cwd);                  // pure; every add/delete/update/move path, for policy checks
//   const plan = planPatch(parsed, cwd);        // reads files, computes every new content; writes nothing
//   commitPlan(plan);                           // temp file + rename per file; all or nothing
//   formatSummary(plan.summary);                // "Success. Updated the following files: …"
export { parsePatch } from './parser.js';
export { planPatch } from './plan.js';
export { commitPlan } from './commit.js';
export { touchedPaths, type TouchedPath } from './paths.js';
export { formatSummary } from './summary.js';
