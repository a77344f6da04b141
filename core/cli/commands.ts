import { CodexError, EXIT } from '../../protocol/index.js';
import type { SubcommandMain } from './context.js';

export interface CommandEntry {
  name: string;
  summary: string;
  /** Not listed in --help. */
  hidden?: boolean;
  /** Loaded only when the subcommand runs. */
  load: () => Promise<SubcommandMain>;
}

const notBuilt = (what: string): (() => Promise<SubcommandMain>) => async () => async () => {
  throw new CodexError('NOT_BUILT_YET', `'codex ${what}' is not built yet`, { exitCode: EXIT.USAGE });
};

// One line per subcommand; each lives in its own file under core/cli/.
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'exec', summary: 'Run the agent non-interactively (also: exec resume)', load: async () => (await import('./exec.js')).execMain },
  { name: 'sandbox', summary: 'Run a command under the sandbox policy', load: async () => (await import('./sandbox.js')).sandboxMain },
  { name: 'sessions', summary: 'List, search, show, export, compress, prune and check recorded sessions', load: async () => (await import('./sessions.js')).sessionsMain },
  { name: 'archive', summary: 'Archive a session by id or name', load: async () => (await import('./archive.js')).archiveMain },
  { name: 'unarchive', summary: 'Unarchive a session by id or name', load: async () => (await import('./unarchive.js')).unarchiveMain },
  { name: 'features', summary: 'List, enable or disable feature flags', load: async () => (await import('./features.js')).featuresMain },
  { name: 'debug', summary: 'Self-checks of this build', hidden: true, load: async () => (await import('./debug.js')).debugMain },
];
