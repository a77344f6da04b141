// `codex debug native`: proves the embedded native addons load and work (used by tests and
// by users reporting a broken install). Hidden from --help.
import { landlockAbiVersion, isSea, zstdCompress, zstdDecompress, nativeCacheRoot } from '../../native/index.js';
import { CodexError } from '../../protocol/index.js';
import { parseArgs } from './args.js';
import type { CliContext } from './context.js';

export async function debugMain(ctx: CliContext): Promise<number> {
  const p = parseArgs(ctx.args, [], {
    maxPositionals: 1,
    help: {
      usage: 'codex debug native',
      summary: 'Self-check of this build: loads the embedded native addons, round-trips zstd, reports the Landlock ABI. One JSON line; exit 1 if a check fails.',
      commands: [{ name: 'native', summary: 'check the native addons' }],
      example: 'codex debug native',
    },
  });
  const [what] = p.positionals;
  if (what !== 'native') throw new CodexError('USAGE', 'usage: codex debug native (see `codex debug --help`)');
  const sample = Buffer.from('codex-ts native self-test ✅\n'.repeat(100));
  const packed = await zstdCompress(sample, 3);
  const back = await zstdDecompress(packed);
  const report = {
    sea: isSea(),
    cache_dir: nativeCacheRoot(),
    zstd_round_trip: back.equals(sample),
    zstd_frame_magic: packed.subarray(0, 4).toString('hex'),
    landlock_abi: landlockAbiVersion(),
  };
  process.stdout.write(JSON.stringify(report) + '\n');
  return report.zstd_round_trip ? 0 : 1;
}
