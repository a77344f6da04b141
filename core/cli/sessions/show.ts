// `codex sessions show ID|NAME [--json | --raw]`: the transcript (decompressing as needed).
// --json: one {"timestamp","role","text"} per message; --raw: the exact decoded rollout lines.
import { codexHome, readRecords, readTranscript, resolveSession, type StoreWarning } from '../../../rollout/index.js';
import { CodexError } from '../../../protocol/index.js';
import { flagBool, parseArgs } from '../args.js';
import type { CliContext } from '../context.js';
import { systemZstdFromEnv, warnToStderr } from './common.js';

export async function showMain(ctx: CliContext): Promise<number> {
  const args = parseArgs(
    ctx.args,
    [
      { name: 'json', kind: 'bool', description: 'the transcript as JSON lines' },
      { name: 'raw', kind: 'bool', description: 'the rollout file as written (decompressed)' },
    ],
    {
      maxPositionals: 1,
      help: { usage: 'codex sessions show ID|NAME [--json | --raw]', summary: 'Print the transcript of a session.', args: [{ name: 'ID|NAME', description: 'a session id (or unique prefix) or name' }], example: 'codex sessions show 01a21319-0bcf-75f0-881b-b1094ea303b0' },
    },
  );
  const target = args.positionals[0];
  if (!target) throw new CodexError('USAGE', 'usage: codex sessions show ID|NAME [--json | --raw]');
  const json = flagBool(args, 'json');
  const raw = flagBool(args, 'raw');
  if (json && raw) throw new CodexError('USAGE', '--json and --raw cannot be combined');
  const { entry, name } = resolveSession(codexHome(), target);
  // A file that cannot be read ends the command with its cause's own code (one line, no warning).
  let fatal: StoreWarning | undefined;
  const warn = (w: StoreWarning) => {
    if (w.code === 'ROLLOUT_ZSTD_CORRUPT' || w.code === 'ROLLOUT_UNREADABLE' || w.code === 'ROLLOUT_NOT_A_FILE') fatal ??= w;
    else warnToStderr(w);
  };
  // CODEX_TS_SYSTEM_ZSTD=0: the zstd addon, as where libzstd.so.1 is missing (as list and search take it).
  const decode = { systemZstd: systemZstdFromEnv(process.env) };
  if (raw) {
    await readRecords(entry.path, { ...decode, onWarning: warn, onRecord: (r) => void process.stdout.write(r.raw + '\n') });
  } else {
    if (!json) process.stdout.write(`session ${entry.id}${name ? ` (${name})` : ''}${entry.archived ? ' [archived]' : ''}\n${entry.path}\n`);
    await readTranscript(
      entry.path,
      (m) => process.stdout.write(json ? JSON.stringify({ timestamp: m.timestamp ?? null, role: m.role, text: m.text }) + '\n' : `\n── ${m.role} ${m.timestamp ?? ''}\n${m.text}\n`),
      warn,
      decode,
    );
  }
  if (fatal) throw new CodexError(fatal.code, `${fatal.path}: ${fatal.message}`);
  return 0;
}
