// `codex sessions search QUERY [--archived|--all] [--limit N] [--json]`
import { codexHome, searchSessions, type SearchHit } from '../../../rollout/index.js';
import { CodexError } from '../../../protocol/index.js';
import { nodeBuiltin } from '../../../native/index.js';
import { flagBool, parseArgs } from '../args.js';
import type { CliContext } from '../context.js';
import { limitOf, SCOPE_FLAGS, scopeOf, warnToStderr } from './common.js';

export async function searchMain(ctx: CliContext): Promise<number> {
  const args = parseArgs(
    ctx.args,
    [...SCOPE_FLAGS, { name: 'limit', kind: 'string', short: 'n', value: 'N', description: 'stop after N hits' }, { name: 'json', kind: 'bool', description: 'one JSON object per hit' }],
    {
      maxPositionals: 1,
      help: {
        usage: 'codex sessions search QUERY [OPTIONS]',
        summary: 'Search the message text of sessions, plain and compressed (case-insensitive substring).',
        args: [{ name: 'QUERY', description: 'the text to find' }],
        example: 'codex sessions search "needle" --all',
      },
    },
  );
  const query = args.positionals[0];
  if (query === undefined || query === '') throw new CodexError('USAGE', 'usage: codex sessions search QUERY [--archived|--all] [--limit N] [--json]');
  const json = flagBool(args, 'json');
  // A search is one pass over every file: over before the optimizing compiler's work pays back, and
  // that work runs on background threads that take cores from the two search threads (~4% of the
  // time of a 5000-file search on 2 cores). Baseline code only, for this process's last job.
  nodeBuiltin<typeof import('node:v8')>('node:v8').setFlagsFromString('--max-opt=1');
  // Test hooks: how many files the helper thread took, and leaving it every file (they prove it
  // runs inside the executable, whatever the race between the two threads).
  const stats = process.env.CODEX_TS_SEARCH_STATS === '1' ? { helper: 0 } : undefined;
  const workerOnly = process.env.CODEX_TS_SEARCH_HELPER_ONLY === '1';
  const hits = await searchSessions(codexHome(), query, { scope: scopeOf(args), limit: limitOf(args, undefined), onWarning: warnToStderr, stats, workerOnly }, (h) => {
    process.stdout.write((json ? JSON.stringify(toJson(h)) : textLine(h)) + '\n');
  });
  if (stats) process.stderr.write(`search: the helper thread took ${stats.helper} files\n`);
  if (!json && !hits.length) process.stderr.write('no matches\n');
  return 0;
}

/** The stable `--json` shape of a search hit (documented in README "Sessions"). */
function toJson(h: SearchHit): Record<string, unknown> {
  return { id: h.id, path: h.path, name: h.name ?? null, archived: h.archived, compressed: h.compressed, timestamp: h.timestamp ?? null, role: h.role, snippet: h.snippet };
}

function textLine(h: SearchHit): string {
  return `${h.id}  ${(h.timestamp ?? '').replace('T', ' ').slice(0, 19)}  ${h.role}: ${h.snippet}`;
}
