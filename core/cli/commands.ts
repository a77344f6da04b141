import type { CommandEntry } from './context.js';

// One line per subcommand; each lives in its own file under core/cli/.
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'resume', summary: 'Resume a recorded session in the interactive UI (picker, --last, or ID|NAME)', load: async () => (await import('./ui.js')).uiMain(true) },
  { name: 'exec', summary: 'Run the agent non-interactively (also: exec resume)', load: async () => (await import('./exec.js')).execMain },
  { name: 'sandbox', summary: 'Run a command under the sandbox policy', load: async () => (await import('./sandbox.js')).sandboxMain },
  { name: 'sessions', summary: 'List, search, show, export, compress, prune and check recorded sessions', load: async () => (await import('./sessions/index.js')).sessionsMain },
  { name: 'archive', summary: 'Archive a session by id or name', load: async () => (await import('./archive.js')).archiveMain },
  { name: 'unarchive', summary: 'Unarchive a session by id or name', load: async () => (await import('./archive.js')).unarchiveMain },
  { name: 'features', summary: 'List, enable or disable feature flags', load: async () => (await import('./features.js')).featuresMain },
  { name: 'debug', summary: 'Self-checks of this build', hidden: true, load: async () => (await import('./debug.js')).debugMain },
];
