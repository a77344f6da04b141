// What every program does around its own work: dispatch, argument checks, one error line, a
// flushed exit. Shared by the full entry (main.ts) and the apply_patch-only one (apply-patch.ts).
import * as path from 'node:path';
import { exitAfterFlush, formatError, HelpRequested, quietEpipe, writeOut } from '../protocol/index.js';
import { chooseProgram, type Program } from './dispatch.js';
import { checkArgsAreUtf8 } from './process.js';

export type RunProgram = (program: Program, args: string[]) => Promise<number>;

const PROGRAM_NAMES: Record<Program, string> = {
  'sandbox-helper': 'codex-linux-sandbox',
  'apply-patch': 'apply_patch',
  codex: 'codex',
};

export async function start(run: RunProgram): Promise<void> {
  quietEpipe();
  const { program, args } = chooseProgram(path.basename(process.argv0 || process.execPath), process.argv.slice(2));
  let code: number;
  try {
    checkArgsAreUtf8(process.argv);
    code = await run(program, args);
  } catch (e) {
    if (e instanceof HelpRequested) {
      // -h/--help of any program or command: the text its flag table rendered.
      writeOut('stdout', e.text);
      code = 0;
    } else {
      const { line, exitCode } = formatError(PROGRAM_NAMES[program], e);
      writeOut('stderr', line + '\n');
      code = exitCode;
    }
  }
  exitAfterFlush(code);
}
