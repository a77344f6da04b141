// `codex unarchive ID|NAME`: move the rollout (either form) by rename, keeping bytes and mtime.
import { codexHome, networkFsWarning, unarchiveSession } from '../../rollout/index.js';
import { CodexError } from '../../protocol/index.js';
import { storeWriteError } from '../../rollout/manage/index.js';
import { flagBool, parseArgs } from './args.js';
import type { CliContext } from './context.js';
import { loadConfig } from '../config/index.js';

export async function unarchiveMain(ctx: CliContext): Promise<number> {
  const args = parseArgs(ctx.args, [{ name: 'json', kind: 'bool', description: 'print {"id", "path", "moved"} as JSON' }], {
    maxPositionals: 1,
    help: {
      usage: 'codex unarchive ID|NAME [--json]',
      summary: 'Unarchive a session: its rollout moves to sessions/YYYY/MM/DD/ by rename, bytes and mtime kept. Prints the new path.',
      args: [{ name: 'ID|NAME', description: 'a session id (or unique prefix) or name' }],
      example: 'codex unarchive 01a21319-0bcf-75f0-881b-b1094ea303b0',
    },
  });
  const target = args.positionals[0];
  if (!target) throw new CodexError('USAGE', 'usage: codex unarchive ID|NAME');
  const home = codexHome();
  const lock = loadConfig({ overrides: ctx.overrides, enable: ctx.enable, disable: ctx.disable }).sessions;
  const nfs = networkFsWarning(lock.lockDir ?? home);
  if (nfs) process.stderr.write(`warning: ${nfs}\n`);
  let r: Awaited<ReturnType<typeof unarchiveSession>>;
  try {
    r = await unarchiveSession(home, target, lock);
  } catch (e) {
    throw storeWriteError(e);
  }
  if (r.codexIndex.note) process.stderr.write(`note: ${r.codexIndex.note}\n`);
  if (flagBool(args, 'json')) process.stdout.write(JSON.stringify({ id: r.id, path: r.path, moved: r.moved, codex_index: r.codexIndex.status }) + '\n');
  else {
    process.stdout.write(r.path + '\n');
    if (!r.moved) process.stderr.write(`session ${r.id} is already unarchived\n`);
  }
  return 0;
}
