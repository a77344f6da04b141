// `codex sessions storage [--json]`: where the store's bytes are and what compression would save.
import { renderStorageText, storageReport } from '../../../rollout/manage/index.js';
import { codexHome } from '../../../rollout/index.js';
import { flagBool, parseArgs } from '../args.js';
import type { CliContext } from '../context.js';

export async function storageMain(ctx: CliContext): Promise<number> {
  const args = parseArgs(ctx.args, [{ name: 'json', kind: 'bool', description: 'the report as one JSON object' }], {
    maxPositionals: 0,
    help: { usage: 'codex sessions storage [--json]', summary: "Where the store's bytes are: per tree and month, the largest sessions, and what compression would save.", example: 'codex sessions storage' },
  });
  const { report, problems } = await storageReport(codexHome());
  for (const p of problems) process.stderr.write(`warning: ${p.path}: ${p.message}\n`);
  process.stdout.write(flagBool(args, 'json') ? JSON.stringify(report) + '\n' : renderStorageText(report));
  return 0;
}
