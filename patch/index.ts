// apply_patch: grammar, matcher, in-memory planning and atomic application of a patch.
// Exports only what other folders use (the core's patch tool checks paths before it runs the
// apply_patch program); the CLI is loaded lazily by entry/main.ts straight from ./cli.js so
// `apply_patch` never loads more than it needs. The program itself runs:
//
//   const parsed = parsePatch(text);            // pure; throws CodexError PATCH_PARSE (parser.ts)
//   touchedPaths(parsed, cwd);                  // pure; every add/delete/update/move path, for policy checks
//   const plan = planPatch(parsed, cwd);        // reads files, computes every new content; writes nothing (plan.ts)
//   commitPlan(plan);                           // temp file + rename per file; all or nothing (commit.ts)
//   formatSummary(plan.summary);                // "Success. Updated the following files: …" (summary.ts)
export { parsePatch } from './parser.js';
export { touchedPaths, type TouchedPath } from './paths.js';
