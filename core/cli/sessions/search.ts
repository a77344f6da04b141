// `codex sessions search QUERY [--archived|--all] [--limit N] [--json]`
import { codexHome, searchSessions, type SearchHit, type SearchHooks } from '../../../rollout/index.js';
import { CodexError } from '../../../protocol/index.js';
import { flagBool, parseArgs } from '../args.js';
import type { CliContext } from '../context.js';
import { limitOf, SCOPE_FLAGS, scopeOf, systemZstdFromEnv, warnToStderr } from './common.js';

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
  const hooks = searchHooksFromEnv(process.env);
  const hits = await searchSessions(codexHome(), query, { scope: scopeOf(args), limit: limitOf(args, undefined), onWarning: warnToStderr, hooks }, (h) => {
    process.stdout.write((json ? JSON.stringify(toJson(h)) : textLine(h)) + '\n');
  });
  if (hooks.stats) process.stderr.write(`search: the helper thread took ${hooks.stats.helper} files, the main thread ${hooks.stats.main}\n`);
  if (!json && !hits.length) process.stderr.write('no matches\n');
  return 0;
}

/**
 * The test hooks of search, read from the environment here and only here (README "Sessions"):
 * CODEX_TS_SYSTEM_ZSTD=0 keeps search to node's fs and the zstd addon, CODEX_TS_SEARCH_STATS=1
 * prints how many files each thread took, CODEX_TS_SEARCH_HELPER_ONLY=1 leaves the helper thread
 * every file (they prove each path runs inside the executable, whatever the race between threads).
 */
export function searchHooksFromEnv(env: NodeJS.ProcessEnv): SearchHooks {
  return {
    systemZstd: systemZstdFromEnv(env),
    helperOnly: env.CODEX_TS_SEARCH_HELPER_ONLY === '1',
    stats: env.CODEX_TS_SEARCH_STATS === '1' ? { helper: 0, main: 0 } : undefined,
  };
}

/** The stable `--json` shape of a search hit (documented in README "Sessions"). */
function toJson(h: SearchHit): Record<string, unknown> {
  return { id: h.id, path: h.path, name: h.name ?? null, archived: h.archived, compressed: h.compressed, timestamp: h.timestamp ?? null, role: h.role, snippet: h.snippet };
}

function textLine(h: SearchHit): string {
  return `${h.id}  ${(h.timestamp ?? '').replace('T', ' ').slice(0, 19)}  ${h.role}: ${h.snippet}`;
}
