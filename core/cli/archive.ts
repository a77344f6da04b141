// `codex archive ID|NAME` and `codex unarchive ID|NAME`: move the rollout (either form) by rename,
// keeping bytes and mtime. The two differ only in direction, so one builder makes both.
import { CodexError } from '../../protocol/index.js';
import { archiveSession, codexHome, networkFsWarning, unarchiveSession, type MoveResult } from '../../rollout/index.js';
import { storeWriteError } from '../../rollout/manage/index.js';
import { flagBool, parseArgs } from './args.js';
import type { CliContext, SubcommandMain } from './context.js';
import { loadConfig, type SessionStoreSettings } from '../config/index.js';

interface Direction {
  verb: 'archive' | 'unarchive';
  /** Where the rollout goes, for --help. */
  destination: string;
  move: (home: string, target: string, lock: SessionStoreSettings) => Promise<MoveResult>;
}

function moveCommand(d: Direction): SubcommandMain {
  return async (ctx: CliContext): Promise<number> => {
    const args = parseArgs(ctx.args, [{ name: 'json', kind: 'bool', description: 'print {"id", "path", "moved"} as JSON' }], {
      maxPositionals: 1,
      help: {
        usage: `codex ${d.verb} ID|NAME [--json]`,
        summary: `${d.verb === 'archive' ? 'Archive' : 'Unarchive'} a session: its rollout moves to ${d.destination} by rename, bytes and mtime kept. Prints the new path.`,
        args: [{ name: 'ID|NAME', description: 'a session id (or unique prefix) or name' }],
        example: `codex ${d.verb} 01a21319-0bcf-75f0-881b-b1094ea303b0`,
      },
    });
    const target = args.positionals[0];
    if (!target) throw new CodexError('USAGE', `usage: codex ${d.verb} ID|NAME`);
    const home = codexHome();
    const lock = loadConfig({ overrides: ctx.overrides, enable: ctx.enable, disable: ctx.disable }).sessions;
    const nfs = networkFsWarning(lock.lockDir ?? home);
    if (nfs) process.stderr.write(`warning: ${nfs}\n`);
    let r: MoveResult;
    try {
      r = await d.move(home, target, lock);
    } catch (e) {
      throw storeWriteError(e);
    }
    if (r.codexIndex.note) process.stderr.write(`note: ${r.codexIndex.note}\n`);
    if (flagBool(args, 'json')) process.stdout.write(JSON.stringify({ id: r.id, path: r.path, moved: r.moved, codex_index: r.codexIndex.status }) + '\n');
    else {
      process.stdout.write(r.path + '\n');
      if (!r.moved) process.stderr.write(`session ${r.id} is already ${d.verb}d\n`);
    }
    return 0;
  };
}

export const archiveMain = moveCommand({ verb: 'archive', destination: 'archived_sessions/', move: archiveSession });
export const unarchiveMain = moveCommand({ verb: 'unarchive', destination: 'sessions/YYYY/MM/DD/', move: unarchiveSession });
