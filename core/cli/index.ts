import { CODEX_TS_VERSION, CodexError, REFERENCE_CODEX_VERSION } from '../../protocol/index.js';
import { HelpRequested, hint, renderHelp, type CommandHelp, type FlagSpec } from './args.js';
import { COMMANDS } from './commands.js';
import { notSupported } from './not-supported.js';
import type { CliContext } from './context.js';
import { checkHome } from './home-check.js';

export type { CliContext, SubcommandMain } from './context.js';
export { parseArgs, flagBool, flagString, flagList, renderHelp, HelpRequested, type CommandHelp, type FlagSpec, type ParsedArgs } from './args.js';

export function versionLine(): string {
  return `codex-ts ${CODEX_TS_VERSION} (compatible with codex-cli ${REFERENCE_CODEX_VERSION})`;
}

/** The global options (parsed by takeValued below, listed in --help from here). */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'config', short: 'c', kind: 'multi', value: 'key=value', description: 'override a config.toml value (parsed as TOML, else a string)' },
  { name: 'enable', kind: 'multi', value: 'FEATURE', description: 'enable a feature flag for this run' },
  { name: 'disable', kind: 'multi', value: 'FEATURE', description: 'disable a feature flag for this run' },
  { name: 'help', short: 'h', kind: 'bool', description: 'show this help (`codex COMMAND --help` for a command)' },
  { name: 'version', short: 'V', kind: 'bool', description: 'print the version' },
];

function codexHelp(): CommandHelp {
  return {
    usage: ['codex [-c key=value]... [--enable FEATURE]... COMMAND [ARGS]', 'codex [PROMPT]   (the interactive UI; `codex -- WORD` for a one-word prompt)'],
    summary: 'codex: a coding agent that runs commands in a sandbox, edits files with apply_patch and records every session.',
    commands: COMMANDS.filter((c) => !c.hidden).map((c) => ({ name: c.name, summary: c.summary })),
    example: ['codex exec --skip-git-repo-check "list the files here"', 'codex sessions list --limit 5'],
    notes: [
      'Also runs as `apply_patch PATCH` / `applypatch PATCH` (or `codex --codex-run-as-apply-patch PATCH`)',
      'and as the Linux sandbox helper `codex-linux-sandbox`. Sessions live in $CODEX_HOME (default ~/.codex).',
    ],
  };
}

export function helpText(): string {
  return renderHelp(codexHelp(), GLOBAL_FLAGS);
}

/** `codex …`: global options, then one subcommand. Returns the exit status. */
export async function runCodexCli(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (e) {
    // Any command's -h/--help ends here: the text its own flag table rendered.
    if (e instanceof HelpRequested) {
      process.stdout.write(e.text);
      return 0;
    }
    throw e;
  }
}

async function dispatch(argv: string[]): Promise<number> {
  const ctx: CliContext = { args: [], overrides: [], enable: [], disable: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') {
      process.stdout.write(helpText());
      return 0;
    }
    if (a === '-V' || a === '--version') {
      process.stdout.write(versionLine() + '\n');
      return 0;
    }
    const valued = takeValued(a, argv[i + 1]);
    if (valued) {
      if (valued.consumedNext) i++;
      ctx[valued.key].push(valued.value);
      continue;
    }
    if (a.startsWith('-')) {
      throw new CodexError('UNKNOWN_FLAG', `unknown flag '${a}'${hint(a.replace(/^-+/, ''), ['help', 'version', 'config', 'enable', 'disable'])}`);
    }
    break;
  }
  let name = argv[i];
  // `codex` alone, `codex "a prompt"` (not a lone command word) and `codex -- PROMPT`: the interactive UI.
  if (name === undefined || name === '--' || /\s/.test(name)) {
    ctx.args = name === undefined ? [] : name === '--' ? ['--', ...argv.slice(i + 1)] : argv.slice(i);
    return (await import('./ui.js')).uiMain(false)(ctx);
  }
  let args = argv.slice(i + 1);
  if (name === 'help') {
    // `codex help COMMAND [SUB]` is `codex COMMAND [SUB] --help`.
    if (args.length === 0) {
      process.stdout.write(helpText());
      return 0;
    }
    name = args[0]!;
    args = [...args.slice(1), '--help'];
  }
  if (name === 'e') name = 'exec'; // the real CLI's alias
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    throw notSupported('', name) ?? new CodexError('UNKNOWN_COMMAND', `unknown command '${name}'${hint(name, COMMANDS.map((c) => c.name), '')} (see \`codex --help\`)`);
  }
  ctx.args = args;
  const warning = checkHome(entry.name, args);
  if (warning) process.stderr.write(warning + '\n');
  const main = await entry.load();
  return main(ctx);
}

type ValuedKey = 'overrides' | 'enable' | 'disable';

function takeValued(a: string, next: string | undefined): { key: ValuedKey; value: string; consumedNext: boolean } | undefined {
  const table: [string[], ValuedKey][] = [
    [['-c', '--config'], 'overrides'],
    [['--enable'], 'enable'],
    [['--disable'], 'disable'],
  ];
  for (const [names, key] of table) {
    for (const n of names) {
      if (a === n) {
        if (next === undefined) throw new CodexError('USAGE', `flag '${a}' needs a value`);
        return { key, value: next, consumedNext: true };
      }
      if (n.startsWith('--') && a.startsWith(n + '=')) return { key, value: a.slice(n.length + 1), consumedNext: false };
    }
  }
  return undefined;
}
