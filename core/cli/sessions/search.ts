// `codex sessions search QUERY [--archived|--all] [--limit N] [--json]`
import { codexHome, searchSessions, type SearchHit } from '../../../rollout/index.js';
import { CodexError } from '../../../protocol/index.js';
import { flagBool, parseArgs } from '../args.js';
import type { CliContext } from '../context.js';
import { limitOf, SCOPE_FLAGS, scopeOf, warnToStderr } from './common.js';

export async function searchMain(ctx: CliContext): Promise<number> {
  const args = parseArgs(ctx.args, [...SCOPE_FLAGS, { name: 'limit', kind: 'string', short: 'n' }, { name: 'json', kind: 'bool' }], { maxPositionals: 1 });
  const query = args.positionals[0];
  if (query === undefined || query === '') throw new CodexError('USAGE', 'usage: codex sessions search QUERY [--archived|--all] [--limit N] [--json]');
  const json = flagBool(args, 'json');
  const hits = await searchSessions(codexHome(), query, { scope: scopeOf(args), limit: limitOf(args, undefined), onWarning: warnToStderr }, (h) => {
    process.stdout.write((json ? JSON.stringify(toJson(h)) : textLine(h)) + '\n');
  });
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
