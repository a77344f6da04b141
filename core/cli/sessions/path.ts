// `codex sessions path ID|NAME`: the file to read (plain when both forms exist).
import { codexHome, resolveSession } from '../../../rollout/index.js';
import { CodexError } from '../../../protocol/index.js';
import { parseArgs } from '../args.js';
import type { CliContext } from '../context.js';

export async function pathMain(ctx: CliContext): Promise<number> {
  const args = parseArgs(ctx.args, [], {
    maxPositionals: 1,
    help: { usage: 'codex sessions path ID|NAME', summary: 'Print the rollout file path of a session.', args: [{ name: 'ID|NAME', description: 'a session id (or unique prefix) or name' }], example: 'codex sessions path 01a21319-0bcf-75f0-881b-b1094ea303b0' },
  });
  const target = args.positionals[0];
  if (!target) throw new CodexError('USAGE', 'usage: codex sessions path ID|NAME');
  process.stdout.write(resolveSession(codexHome(), target).entry.path + '\n');
  return 0;
}
