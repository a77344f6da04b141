// `codex sessions <sub>`: a table of sub-commands, each in core/cli/sessions/<name>.ts and loaded
// only when it runs. Adding one is a one-line edit here.
import { CodexError } from '../../../protocol/index.js';
import { HelpRequested, hint, renderHelp } from '../args.js';
import type { CliContext, CommandEntry } from '../context.js';

const SUBCOMMANDS: readonly CommandEntry[] = [
  { name: 'list', summary: 'List sessions, newest first (--archived|--all, --limit, --cursor, --cwd, --source, --provider, --json)', load: async () => (await import('./list.js')).listMain },
  {
    name: 'search',
    summary: 'Search message text of all sessions, plain and compressed (--json)',
    load: async () => (await import('./search.js')).searchMain,
    // One pass over every file, over before the optimizing compiler's work pays back, and that work
    // runs on background threads that take cores from the two search threads: baseline code only
    // (~4% less CPU time on bench/rollout, see bench/RESULTS.md).
    v8Flags: '--max-opt=1',
  },
  { name: 'show', summary: 'Print the transcript of a session by id or name (--json, --raw)', load: async () => (await import('./show.js')).showMain },
  { name: 'path', summary: 'Print the rollout file path of a session by id or name', load: async () => (await import('./path.js')).pathMain },
  { name: 'storage', summary: 'Where the store\'s bytes are: per tree and month, largest sessions, what compression would save (--json)', load: async () => (await import('./storage.js')).storageMain },
  { name: 'export', summary: 'Export a session as Markdown or its exact JSONL (--format md|jsonl, -o FILE)', load: async () => (await import('./export.js')).exportMain },
  { name: 'prune', summary: 'Remove sessions last written before --older-than DUR (--archived-only, --source, --dry-run, --json)', load: async () => (await import('./prune.js')).pruneMain },
  { name: 'compress', summary: 'Run one pass of the compression worker now: cold archived rollouts to .jsonl.zst (--dry-run, --json, --min-age DUR)', load: async () => (await import('./compress.js')).sessionsCompressMain },
  { name: 'doctor', summary: 'Find torn lines, unparseable files, plain/.zst conflicts, orphans, stale locks, misplaced entries, dangling names (--repair quarantines what it cannot account for; --json)', load: async () => (await import('./doctor.js')).doctorMain },
];

function usage(): string {
  return renderHelp(
    {
      usage: 'codex sessions COMMAND [ARGS]',
      summary: 'Look after the recorded sessions in $CODEX_HOME (default ~/.codex). `codex sessions COMMAND --help` for each.',
      commands: SUBCOMMANDS,
      example: ['codex sessions list --limit 5', 'codex sessions search "needle"'],
    },
    [],
  );
}

export async function sessionsMain(ctx: CliContext): Promise<number> {
  const [name, ...rest] = ctx.args;
  if (name === undefined) {
    process.stderr.write(usage());
    throw new CodexError('USAGE', 'missing sessions command (see `codex sessions --help`)');
  }
  // `codex sessions help COMMAND` is `codex sessions COMMAND --help`.
  if (name === 'help' && rest[0]) return sessionsMain({ ...ctx, args: [rest[0], '--help'] });
  if (name === '-h' || name === '--help' || name === 'help') throw new HelpRequested(usage());
  const sub = SUBCOMMANDS.find((s) => s.name === name);
  if (!sub) throw new CodexError('UNKNOWN_COMMAND', `unknown sessions command '${name}'${hint(name, SUBCOMMANDS.map((s) => s.name), '')}`);
  if (sub.v8Flags) process.getBuiltinModule('node:v8').setFlagsFromString(sub.v8Flags);
  const main = await sub.load();
  return main({ ...ctx, args: rest });
}
