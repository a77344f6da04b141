// `codex sessions prune --older-than DUR [--archived-only] [--source S] [--dry-run] [--json]`.
// Explicit only: nothing in codex-ts deletes sessions on its own.
import { assertStoreWritable, formatBytes, parseDuration, prune, storeWriteError, type PruneReport } from '../../../rollout/manage/index.js';
import { codexHome, formatWarning } from '../../../rollout/index.js';
import { CodexError, EXIT } from '../../../protocol/index.js';
import { flagBool, flagString, parseArgs } from '../args.js';
import type { CliContext } from '../context.js';
import { loadConfig } from '../../config/index.js';

export async function pruneMain(ctx: CliContext): Promise<number> {
  const args = parseArgs(
    ctx.args,
    [
      { name: 'older-than', kind: 'string', value: 'DUR', description: 'required: last written before DUR ago (30d, 12h, 2w)' },
      { name: 'archived-only', kind: 'bool', description: 'only archived sessions' },
      { name: 'source', kind: 'string', value: 'S', description: 'only sessions from this source' },
      { name: 'dry-run', kind: 'bool', short: 'n', description: 'list what would go, remove nothing' },
      { name: 'json', kind: 'bool', description: 'one JSON object per session' },
    ],
    {
      maxPositionals: 0,
      help: { usage: 'codex sessions prune --older-than DUR [OPTIONS]', summary: 'Remove sessions last written before --older-than.', example: 'codex sessions prune --older-than 90d --archived-only --dry-run' },
    },
  );
  const older = flagString(args, 'older-than');
  if (older === undefined) {
    throw new CodexError('USAGE', 'missing --older-than DURATION (e.g. 30d); prune never guesses an age', { exitCode: EXIT.USAGE });
  }
  const olderThanMs = parseDuration(older);
  const dryRun = flagBool(args, 'dry-run');
  const home = codexHome();
  const lock = loadConfig({ overrides: ctx.overrides, enable: ctx.enable, disable: ctx.disable }).sessions;
  if (!dryRun) assertStoreWritable(home, 'prune', lock);
  let report: PruneReport;
  try {
    report = await prune({
      home,
      olderThanMs,
      archivedOnly: flagBool(args, 'archived-only'),
      source: flagString(args, 'source'),
      dryRun,
      lock,
      onWarning: (w) => process.stderr.write(formatWarning(w) + '\n'),
    });
  } catch (e) {
    throw storeWriteError(e);
  }
  for (const p of report.problems) process.stderr.write(`warning: ${p.path}: ${p.message}\n`);
  if (report.codex_index_note) process.stderr.write(`note: ${report.codex_index_note}\n`);
  if (flagBool(args, 'json')) {
    process.stdout.write(JSON.stringify(report) + '\n');
    return 0;
  }
  const verb = dryRun ? 'Would remove' : 'Removed';
  const n = report.removed.length;
  process.stdout.write(`${verb} ${n} session${n === 1 ? '' : 's'} (${formatBytes(report.bytes_freed)}) last written before ${report.cutoff}${n ? ':' : '.'}\n`);
  for (const r of report.removed) {
    process.stdout.write(`  ${r.created}  ${r.id}  ${formatBytes(r.bytes).padStart(10)}  ${r.archived ? 'archived' : 'active'}${r.source ? `  ${r.source}` : ''}\n`);
  }
  if (report.index_entries_removed) {
    process.stdout.write(`${dryRun ? 'Would drop' : 'Dropped'} ${report.index_entries_removed} session_index.jsonl name entr${report.index_entries_removed === 1 ? 'y' : 'ies'}.\n`);
  }
  for (const s of report.skipped) process.stdout.write(`Skipped ${s.id}: ${s.reason}\n`);
  if (dryRun && n) process.stderr.write('Dry run: nothing was removed. Run again without --dry-run to remove them.\n');
  return 0;
}
