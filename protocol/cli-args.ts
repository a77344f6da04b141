// The one argv parser of every program in the executable (codex and its subcommands, apply_patch):
// each command declares its flags in a table, and the same table drives parsing, "did you mean"
// for typos and the --help text (renderHelp). Pure: it throws, the caller prints.
import { CodexError } from './errors.js';

export type FlagKind = 'bool' | 'string' | 'multi';

export interface FlagSpec {
  /** Long name without dashes, e.g. `json`. */
  name: string;
  short?: string;
  kind: FlagKind;
  /** Other long spellings accepted for the same flag. */
  aliases?: string[];
  /** The value's placeholder in help, e.g. `DIR` (string/multi flags). */
  value?: string;
  /** One line for --help. */
  description?: string;
  /** Accepted but not listed in --help. */
  hidden?: boolean;
}

/** What --help shows besides the option table. */
export interface CommandHelp {
  /** Usage lines without the leading `Usage: `, e.g. `codex sessions list [OPTIONS]`. */
  usage: string | readonly string[];
  /** One or two sentences on what the command does. */
  summary: string;
  /** Positional arguments, in order. */
  args?: readonly { name: string; description: string }[];
  /** Subcommands (for a command that dispatches on its first word). */
  commands?: readonly { name: string; summary: string }[];
  /** At least one example command line (shown as written). */
  example: string | readonly string[];
  /** Extra lines after the examples. */
  notes?: readonly string[];
}

export interface ParsedArgs {
  flags: Map<string, boolean | string | string[]>;
  positionals: string[];
  /** Everything after a bare `--` (undefined when there was none). */
  rest?: string[];
}

export interface ParseOptions {
  /** Stop parsing flags at the first positional; the rest become positionals verbatim. */
  stopAtPositional?: boolean;
  maxPositionals?: number;
  /** With it, `-h`/`--help` (before any `--`) throws HelpRequested with renderHelp(help, specs). */
  help?: CommandHelp;
}

/** Thrown when the user asked for help; the program prints `text` on stdout and exits 0. */
export class HelpRequested extends Error {
  constructor(readonly text: string) {
    super('help requested');
    this.name = 'HelpRequested';
  }
}

const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', kind: 'bool', description: 'show this help' };

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], opts: ParseOptions = {}): ParsedArgs {
  const table = opts.help && !specs.some((s) => s.name === 'help') ? [...specs, HELP_FLAG] : specs;
  const byLong = new Map<string, FlagSpec>();
  const byShort = new Map<string, FlagSpec>();
  for (const s of table) {
    byLong.set(s.name, s);
    for (const a of s.aliases ?? []) byLong.set(a, s);
    if (s.short) byShort.set(s.short, s);
  }
  const out: ParsedArgs = { flags: new Map(), positionals: [] };
  const set = (spec: FlagSpec, value: string | true) => {
    if (spec.kind === 'multi') {
      const prev = (out.flags.get(spec.name) as string[] | undefined) ?? [];
      out.flags.set(spec.name, [...prev, value as string]);
    } else {
      out.flags.set(spec.name, value);
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.rest = argv.slice(i + 1);
      break;
    }
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      inline = eq === -1 ? undefined : a.slice(eq + 1);
      spec = byLong.get(name);
      if (!spec) throw new CodexError('UNKNOWN_FLAG', `unknown flag '--${name}'${hint(name, [...byLong.keys()])}${seeHelp(opts)}`);
    } else if (a.startsWith('-') && a.length > 1 && a !== '-') {
      spec = byShort.get(a.slice(1, 2));
      if (!spec) {
        // `-dry-run` for `--dry-run`: suggest the long flag when one is close.
        const near = a.length > 2 ? hint(a.slice(1), [...byLong.keys()]) : '';
        throw new CodexError('UNKNOWN_FLAG', `unknown flag '${a}'${near}${seeHelp(opts)}`);
      }
      if (a.length > 2) inline = a.slice(2);
    } else {
      out.positionals.push(a);
      if (opts.stopAtPositional) {
        out.positionals.push(...argv.slice(i + 1));
        break;
      }
      continue;
    }
    if (spec.name === 'help' && opts.help) throw new HelpRequested(renderHelp(opts.help, table));
    if (spec.kind === 'bool') {
      if (inline !== undefined) throw new CodexError('USAGE', `flag '--${spec.name}' takes no value`);
      set(spec, true);
    } else {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new CodexError('USAGE', `flag '--${spec.name}' needs a value`);
      set(spec, value);
    }
  }
  if (opts.maxPositionals !== undefined && out.positionals.length > opts.maxPositionals) {
    throw new CodexError('USAGE', `unexpected argument '${out.positionals[opts.maxPositionals]}'${seeHelp(opts)}`);
  }
  return out;
}

function seeHelp(opts: ParseOptions): string {
  if (!opts.help) return '';
  const usage = typeof opts.help.usage === 'string' ? opts.help.usage : opts.help.usage[0]!;
  const cmd = usage.split(' ').filter((w) => /^[a-z_][a-z0-9_-]*$/.test(w)).join(' ');
  return cmd ? ` (see \`${cmd} --help\`)` : '';
}

/** The --help text: usage, summary, arguments, commands, options (from the flag table), examples. */
export function renderHelp(help: CommandHelp, specs: readonly FlagSpec[]): string {
  const lines: string[] = [];
  const usage = typeof help.usage === 'string' ? [help.usage] : help.usage;
  usage.forEach((u, i) => lines.push(`${i === 0 ? 'Usage: ' : '       '}${u}`));
  lines.push('', help.summary);
  const section = (title: string, rows: [string, string][]) => {
    if (!rows.length) return;
    const w = Math.min(34, Math.max(...rows.map(([l]) => l.length)));
    lines.push('', `${title}:`);
    for (const [l, r] of rows) lines.push(l.length > w ? `  ${l}\n  ${' '.repeat(w)}  ${r}` : `  ${l.padEnd(w)}  ${r}`);
  };
  section('Arguments', (help.args ?? []).map((a) => [a.name, a.description]));
  section('Commands', (help.commands ?? []).map((c) => [c.name, c.summary]));
  const shown = specs.some((s) => s.name === 'help') ? specs : [...specs, HELP_FLAG];
  section(
    'Options',
    shown
      .filter((s) => !s.hidden)
      .map((s) => {
        const names = [s.short ? `-${s.short}` : '   ', `--${s.name}`].join(s.short ? ', ' : ' ');
        const value = s.kind === 'bool' ? '' : ` ${s.value ?? 'VALUE'}`;
        const more = s.kind === 'multi' ? ' (repeatable)' : '';
        const alias = s.aliases?.length ? ` (also --${s.aliases.join(', --')})` : '';
        return [`${names}${value}`, `${s.description ?? ''}${more}${alias}`];
      }),
  );
  const examples = typeof help.example === 'string' ? [help.example] : help.example;
  lines.push('', examples.length > 1 ? 'Examples:' : 'Example:', ...examples.map((e) => `  ${e}`));
  if (help.notes?.length) lines.push('', ...help.notes);
  return lines.join('\n') + '\n';
}

export function flagBool(p: ParsedArgs, name: string): boolean {
  return p.flags.get(name) === true;
}

export function flagString(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagList(p: ParsedArgs, name: string): string[] {
  const v = p.flags.get(name);
  return Array.isArray(v) ? v : [];
}

/** " (did you mean '--x'?)" when a known name is close. */
export function hint(name: string, known: readonly string[], prefix = '--'): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean '${prefix}${best}'?)` : '';
}

export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}
