export { runApplyPatchCli } from './cli.js';
