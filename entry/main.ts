import type { Program } from './dispatch.js';
import { start } from './start.js';

// Each program is imported at its branch so `apply_patch` never loads the agent core.
async function run(program: Program, args: string[]): Promise<number> {
  switch (program) {
    case 'sandbox-helper':
      return (await import('../sandbox/linux/helper-main.js')).runSandboxHelper(args);
    case 'apply-patch':
      return (await import('../patch/cli.js')).runApplyPatchCli(args);
    case 'codex':
      return (await import('../core/cli/index.js')).runCodexCli(args);
  }
}

void start(run);
