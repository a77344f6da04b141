// Shared bits of the `codex sessions …` commands: scope flags and warning output.
import { formatWarning, type Scope, type StoreWarning } from '../../../rollout/index.js';
import { CodexError } from '../../../protocol/index.js';
import { flagBool, flagString, type FlagSpec, type ParsedArgs } from '../args.js';

export const SCOPE_FLAGS: FlagSpec[] = [
  { name: 'archived', kind: 'bool', description: 'archived sessions only' },
  { name: 'all', kind: 'bool', description: 'active and archived sessions' },
];

export function scopeOf(args: ParsedArgs): Scope {
  const archived = flagBool(args, 'archived');
  const all = flagBool(args, 'all');
  if (archived && all) throw new CodexError('USAGE', '--archived and --all cannot be combined');
  return all ? 'all' : archived ? 'archived' : 'active';
}

export function limitOf(args: ParsedArgs, dflt: number | undefined): number | undefined {
  const v = flagString(args, 'limit');
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CodexError('USAGE', `--limit must be a positive integer, got '${v}'`);
  return n;
}

/**
 * The zstd test hook of the session commands, read from the environment here (README "Sessions"):
 * CODEX_TS_SYSTEM_ZSTD=0 keeps reading to the zstd addon, as on a machine without libzstd.so.1.
 */
export function systemZstdFromEnv(env: NodeJS.ProcessEnv): boolean {
  return env.CODEX_TS_SYSTEM_ZSTD !== '0';
}

/** Warnings go to stderr, one line each, as they are met. */
export function warnToStderr(w: StoreWarning): void {
  process.stderr.write(formatWarning(w) + '\n');
}
