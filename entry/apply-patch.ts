// The apply_patch-only entry: the executable runs this small bundle (its own code cache) when it is
// started as apply_patch, so that program never reads or compiles the rest (see entry/sea-loader.ts).
import { runApplyPatchCli } from '../patch/cli.js';
import { CodexError } from '../protocol/index.js';
import { start } from './start.js';

void start(async (program, args) => {
  if (program !== 'apply-patch') throw new CodexError('INTERNAL', `the apply_patch bundle cannot run ${program}`);
  return runApplyPatchCli(args);
});
