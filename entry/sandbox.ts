// The sandbox-only entry: `codex sandbox …` (the subcommand as the first argument) and the helper
// `codex-linux-sandbox` run this bundle (its own code cache) instead of the main one, so starting a
// sandboxed command reads and deserializes no agent, session store or UI code (see entry/sea-loader.ts).
// `codex -c k=v sandbox …` (global flags first) takes the main bundle and the same sandboxMain.
import { CodexError } from '../protocol/index.js';
import { start } from './start.js';

void start(async (program, args) => {
  if (program === 'sandbox-helper') return (await import('../sandbox/linux/helper-main.js')).runSandboxHelper(args);
  if (program === 'codex' && args[0] === 'sandbox') {
    return (await import('../core/cli/sandbox.js')).sandboxMain({ args: args.slice(1), overrides: [], enable: [], disable: [] });
  }
  throw new CodexError('INTERNAL', `the sandbox bundle cannot run ${program} ${args[0] ?? ''}`.trim());
});
