// A CODEX_HOME that is missing or unreadable is said, never answered with an empty result: one
// warning line naming the path for commands that only read the store (an empty listing is then
// still true), an error for the commands that need a session from it.
import * as fs from 'node:fs';
import { CodexError, codexHomeDir } from '../../protocol/index.js';

type HomeUse = 'read' | 'need';

/** Store-reading commands by `command [sub]`; the rest (exec, features, …) create or ignore it. */
const HOME_USE: Readonly<Record<string, HomeUse>> = {
  'sessions list': 'read',
  'sessions search': 'read',
  'sessions storage': 'read',
  'sessions doctor': 'read',
  'sessions show': 'need',
  'sessions path': 'need',
  'sessions export': 'need',
  'sessions prune': 'need',
  'sessions compress': 'need',
  archive: 'need',
  unarchive: 'need',
  'exec resume': 'need',
};

export type HomeState = { kind: 'ok' } | { kind: 'missing' } | { kind: 'not-a-directory' } | { kind: 'unreadable'; detail: string };

export function homeState(home: string): HomeState {
  let st: fs.Stats;
  try {
    st = fs.statSync(home);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ENOTDIR') return { kind: 'not-a-directory' };
    return { kind: 'unreadable', detail: (e as Error).message };
  }
  if (!st.isDirectory()) return { kind: 'not-a-directory' };
  try {
    fs.accessSync(home, fs.constants.R_OK | fs.constants.X_OK);
    return { kind: 'ok' };
  } catch (e) {
    return { kind: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
}

/**
 * Before `codex <command> <args>` runs: throws for a store the command needs but cannot use,
 * returns a warning line for a read-only command on a missing store, else undefined.
 */
export function checkHome(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (args.includes('--help') || args.includes('-h') || args.includes('--background')) return undefined;
  const use = HOME_USE[(command === 'sessions' || command === 'exec') && args[0] ? `${command} ${args[0]}` : command];
  if (!use) return undefined;
  const home = codexHomeDir(env);
  const from = env.CODEX_HOME && env.CODEX_HOME.trim() !== '' ? 'CODEX_HOME' : 'the session store (CODEX_HOME unset)';
  const state = homeState(home);
  switch (state.kind) {
    case 'ok':
      return undefined;
    case 'missing':
      if (use === 'read') return `codex: warning: ${from} ${home} does not exist: no sessions were recorded there`;
      throw new CodexError('CODEX_HOME_MISSING', `${from} ${home} does not exist (set CODEX_HOME to the folder holding sessions/)`);
    case 'not-a-directory':
      throw new CodexError('CODEX_HOME_MISSING', `${from} ${home} is not a directory`);
    case 'unreadable':
      throw new CodexError('CODEX_HOME_UNREADABLE', `cannot read ${from} ${home}: ${state.detail}`);
  }
}
