import * as os from 'node:os';
import * as path from 'node:path';

/** `$CODEX_HOME`, else `~/.codex`. Read only when called (never at import). */
export function resolveCodexHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.CODEX_HOME;
  if (fromEnv && fromEnv.trim() !== '') return path.resolve(expandTilde(fromEnv, env));
  return path.join(env.HOME && env.HOME !== '' ? env.HOME : os.homedir(), '.codex');
}

function expandTilde(p: string, env: NodeJS.ProcessEnv): string {
  if (p === '~' || p.startsWith('~/')) return path.join(env.HOME ?? os.homedir(), p.slice(1));
  return p;
}

export function configPathFor(codexHome: string): string {
  return path.join(codexHome, 'config.toml');
}
