import { CODEX_TS_VERSION, CodexError, REFERENCE_CODEX_VERSION } from '../../protocol/index.js';
import { hint } from './args.js';
import { COMMANDS } from './commands.js';
import type { CliContext } from './context.js';

export type { CliContext, SubcommandMain } from './context.js';
export { parseArgs, flagBool, flagString, flagList, type FlagSpec, type ParsedArgs } from './args.js';

export function versionLine(): string {
  return `codex-ts ${CODEX_TS_VERSION} (compatible with codex-cli ${REFERENCE_CODEX_VERSION})`;
}

export function helpText(): string {
  const shown = COMMANDS.filter((c) => !c.hidden);
  const width = Math.max(...shown.map((c) => c.name.length));
  return [
    'codex: a coding agent that runs commands in a sandbox, edits files with apply_patch and records every session.',
    '',
    'Usage: codex [-c key=value]... [--enable FEATURE]... <command> [args]',
    '',
    'Commands:',
    ...shown.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    '  -c, --config key=value   override a config.toml value (parsed as TOML, else a string)',
    '  --enable NAME            enable a feature flag for this run',
    '  --disable NAME           disable a feature flag for this run',
    '  -h, --help               this help',
    '  -V, --version            print the version',
    '',
    'Also runs as `apply_patch PATCH` / `applypatch PATCH` (or `codex --codex-run-as-apply-patch PATCH`)',
    'and as the Linux sandbox helper `codex-linux-sandbox`.',
    '',
  ].join('\n');
}

/** `codex …`: global options, then one subcommand. Returns the exit status. */
export async function runCodexCli(argv: string[]): Promise<number> {
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
  const name = argv[i];
  if (name === undefined) {
    process.stderr.write(helpText());
    throw new CodexError('USAGE', 'missing command (see `codex --help`)');
  }
  if (name === 'help') {
    process.stdout.write(helpText());
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    throw new CodexError('UNKNOWN_COMMAND', `unknown command '${name}'${hint(name, COMMANDS.map((c) => c.name), '')}`);
  }
  ctx.args = argv.slice(i + 1);
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
