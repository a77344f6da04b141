// Resolving the command before anything runs, so a missing or non-executable program is one clear
// line with status 127 / 126 instead of a backend error (0.169 panics here).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodexError, EXIT } from '../../protocol/index.js';

/**
 * Find `cmd` the way execvp would (PATH search unless it contains `/`), throwing CodexError EXEC_NOT_FOUND / EXEC_NOT_EXECUTABLE with one clear line.
 *
 * @example
 *   resolveCommand('ls', process.env.PATH, process.cwd()); // '/usr/bin/ls'
 */
export function resolveCommand(cmd: string, pathEnv: string | undefined, cwd: string): string {
  if (cmd === '') throw new CodexError('EXEC_NOT_FOUND', 'empty command', { exitCode: EXIT.NOT_FOUND });
  if (cmd.includes('/')) {
    const p = path.resolve(cwd, cmd);
    checkExecutable(p, cmd);
    return p;
  }
  let sawNonExec: string | undefined;
  for (const dir of (pathEnv ?? '/usr/local/bin:/usr/bin:/bin').split(':')) {
    const p = path.resolve(cwd, dir || '.', cmd);
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      continue;
    }
    if (st.isFile() && isExec(p)) return p;
    sawNonExec ??= p;
  }
  if (sawNonExec) throw new CodexError('EXEC_NOT_EXECUTABLE', `${cmd}: not executable (${sawNonExec})`, { exitCode: EXIT.NOT_EXECUTABLE });
  throw new CodexError('EXEC_NOT_FOUND', `${cmd}: command not found`, { exitCode: EXIT.NOT_FOUND });
}

function isExec(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function checkExecutable(p: string, shown: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    throw new CodexError('EXEC_NOT_FOUND', `${shown}: no such file`, { exitCode: EXIT.NOT_FOUND });
  }
  if (st.isDirectory()) throw new CodexError('EXEC_NOT_EXECUTABLE', `${shown}: is a directory`, { exitCode: EXIT.NOT_EXECUTABLE });
  if (!isExec(p)) throw new CodexError('EXEC_NOT_EXECUTABLE', `${shown}: permission denied (not executable)`, { exitCode: EXIT.NOT_EXECUTABLE });
}
