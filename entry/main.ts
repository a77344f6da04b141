import * as path from 'node:path';
import { exitAfterFlush, formatError, quietEpipe, writeOut } from '../protocol/index.js';
import { chooseProgram, type Program } from './dispatch.js';
import { checkArgsAreUtf8 } from './process.js';

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

const PROGRAM_NAMES: Record<Program, string> = {
  'sandbox-helper': 'codex-linux-sandbox',
  'apply-patch': 'apply_patch',
  codex: 'codex',
};

async function main(): Promise<void> {
  quietEpipe();
  const { program, args } = chooseProgram(path.basename(process.argv0 || process.execPath), process.argv.slice(2));
  let code: number;
  try {
    checkArgsAreUtf8(process.argv);
    code = await run(program, args);
  } catch (e) {
    const { line, exitCode } = formatError(PROGRAM_NAMES[program], e);
    writeOut('stderr', line + '\n');
    code = exitCode;
  }
  exitAfterFlush(code);
}

void main();
