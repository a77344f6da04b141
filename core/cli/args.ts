// A small, strict argv parser: every subcommand declares its flags; anything else is a usage error.
import { CodexError } from '../../protocol/index.js';

export type FlagKind = 'bool' | 'string' | 'multi';

export interface FlagSpec {
  /** Long name without dashes, e.g. `json`. */
  name: string;
  short?: string;
  kind: FlagKind;
  /** Other long spellings accepted for the same flag. */
  aliases?: string[];
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
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], opts: ParseOptions = {}): ParsedArgs {
  const byLong = new Map<string, FlagSpec>();
  const byShort = new Map<string, FlagSpec>();
  for (const s of specs) {
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
      if (!spec) throw new CodexError('UNKNOWN_FLAG', `unknown flag '--${name}'${hint(name, [...byLong.keys()])}`);
    } else if (a.startsWith('-') && a.length > 1 && a !== '-') {
      spec = byShort.get(a.slice(1, 2));
      if (!spec) throw new CodexError('UNKNOWN_FLAG', `unknown flag '${a}'`);
      if (a.length > 2) inline = a.slice(2);
    } else {
      out.positionals.push(a);
      if (opts.stopAtPositional) {
        out.positionals.push(...argv.slice(i + 1));
        break;
      }
      continue;
    }
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
    throw new CodexError('USAGE', `unexpected argument '${out.positionals[opts.maxPositionals]}'`);
  }
  return out;
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
