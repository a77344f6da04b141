// `codex sessions list [--archived|--all] [--limit N] [--cursor C] [--cwd DIR] [--source S] [--provider P] [--json]`
import { codexHome, listSessions, type SessionSummary } from '../../../rollout/index.js';
import { flagBool, flagString, parseArgs } from '../args.js';
import type { CliContext } from '../context.js';
import { limitOf, SCOPE_FLAGS, scopeOf, systemZstdFromEnv, warnToStderr } from './common.js';

export async function listMain(ctx: CliContext): Promise<number> {
  const args = parseArgs(
    ctx.args,
    [
      ...SCOPE_FLAGS,
      { name: 'limit', kind: 'string', short: 'n', value: 'N', description: 'at most N sessions (default 25)' },
      { name: 'cursor', kind: 'string', value: 'C', description: 'continue after the page that printed this cursor' },
      { name: 'cwd', kind: 'string', value: 'DIR', description: 'only sessions started in DIR' },
      { name: 'source', kind: 'string', value: 'S', description: 'only sessions from this source (exec, cli, vscode, …)' },
      { name: 'provider', kind: 'string', value: 'P', description: 'only sessions of this model provider' },
      { name: 'json', kind: 'bool', description: 'one JSON object per line' },
    ],
    {
      maxPositionals: 0,
      help: { usage: 'codex sessions list [OPTIONS]', summary: 'List sessions, newest first (active ones unless --archived or --all).', example: 'codex sessions list --all --limit 5' },
    },
  );
  const json = flagBool(args, 'json');
  const page = await listSessions(codexHome(), {
    scope: scopeOf(args),
    limit: limitOf(args, 25),
    cursor: flagString(args, 'cursor'),
    cwd: flagString(args, 'cwd'),
    source: flagString(args, 'source'),
    provider: flagString(args, 'provider'),
    onWarning: warnToStderr,
    systemZstd: systemZstdFromEnv(process.env),
  });
  const out: string[] = [];
  for (const s of page.items) out.push(json ? JSON.stringify(toJson(s)) : textLine(s));
  if (json && page.nextCursor) out.push(JSON.stringify({ next_cursor: page.nextCursor }));
  if (out.length) process.stdout.write(out.join('\n') + '\n');
  if (!json) {
    if (!page.items.length) process.stderr.write('no sessions\n');
    if (page.nextCursor) process.stderr.write(`more: codex sessions list --cursor ${page.nextCursor}${ctx.args.length ? ' (with the same flags)' : ''}\n`);
  }
  return 0;
}

/** The stable `--json` shape of a listing item (documented in README "Sessions"). */
export function toJson(s: SessionSummary): Record<string, unknown> {
  return {
    id: s.id,
    path: s.path,
    created_at: s.createdAt ?? null,
    updated_at: s.updatedAt ?? null,
    cwd: s.cwd ?? null,
    source: s.source ?? null,
    model_provider: s.modelProvider ?? null,
    cli_version: s.cliVersion ?? null,
    name: s.name ?? null,
    preview: s.preview,
    preview_unavailable: s.previewUnavailable,
    archived: s.archived,
    compressed: s.compressed,
  };
}

function textLine(s: SessionSummary): string {
  const when = (s.createdAt ?? '').replace('T', ' ').slice(0, 19);
  const flags = [s.archived ? 'archived' : '', s.compressed ? 'zst' : ''].filter(Boolean).join(',');
  const title = s.name ? `[${s.name}] ` : '';
  const preview = s.previewUnavailable && !s.preview ? '(first message past the head; see codex sessions show)' : s.preview.replace(/\s+/g, ' ').trim();
  return `${s.id}  ${when}  ${(flags || '-').padEnd(12)}  ${title}${preview.length > 80 ? preview.slice(0, 79) + '…' : preview}`;
}
