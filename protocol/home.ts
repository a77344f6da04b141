import * as os from 'node:os';
import * as path from 'node:path';

/**
 * `$CODEX_HOME` (a leading `~/` expanded), else `$HOME/.codex`: the one resolver every folder uses.
 * Read only when called (never at import).
 *
 * @example codexHomeDir({ HOME: '/home/ada' }) // '/home/ada/.codex'
 */
export function codexHomeDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME && env.HOME !== '' ? env.HOME : os.homedir();
  const h = env.CODEX_HOME;
  if (h && h.trim() !== '') return path.resolve(h === '~' || h.startsWith('~/') ? path.join(home, h.slice(1)) : h);
  return path.join(home, '.codex');
}
