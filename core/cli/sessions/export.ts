// `codex sessions export ID|NAME [--format md|jsonl] [-o FILE]`.
import * as fs from 'node:fs';
import { exportSession, type ExportFormat } from '../../../rollout/manage/index.js';
import { codexHome, formatWarning } from '../../../rollout/index.js';
import { CodexError, EXIT } from '../../../protocol/index.js';
import { flagString, parseArgs } from '../args.js';
import type { CliContext } from '../context.js';

const USAGE = 'usage: codex sessions export ID|NAME [--format md|jsonl] [-o FILE]';

export async function exportMain(ctx: CliContext): Promise<number> {
  const args = parseArgs(
    ctx.args,
    [
      { name: 'format', kind: 'string', value: 'md|jsonl', description: 'Markdown transcript (default) or the exact JSONL' },
      { name: 'output', short: 'o', kind: 'string', value: 'FILE', description: 'write to FILE instead of stdout' },
    ],
    {
      maxPositionals: 1,
      help: { usage: 'codex sessions export ID|NAME [--format md|jsonl] [-o FILE]', summary: 'Export a session as Markdown or as its exact JSONL.', args: [{ name: 'ID|NAME', description: 'a session id (or unique prefix) or name' }], example: 'codex sessions export my-session --format md -o session.md' },
    },
  );
  const target = args.positionals[0];
  if (target === undefined) throw new CodexError('USAGE', `missing session id or name (${USAGE})`, { exitCode: EXIT.USAGE });
  const fmt = flagString(args, 'format') ?? 'md';
  if (fmt !== 'md' && fmt !== 'jsonl') throw new CodexError('USAGE', `unknown format '${fmt}': use md or jsonl`, { exitCode: EXIT.USAGE });
  const result = await exportSession(codexHome(), target, fmt as ExportFormat);
  for (const w of result.warnings) process.stderr.write(formatWarning(w) + '\n');
  const out = flagString(args, 'output');
  if (out === undefined || out === '-') {
    process.stdout.write(result.bytes);
  } else {
    try {
      fs.writeFileSync(out, result.bytes);
    } catch (e) {
      throw new CodexError('IO_ERROR', `cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    process.stderr.write(`exported ${result.id} (${result.bytes.length} bytes) to ${out}\n`);
  }
  return 0;
}
