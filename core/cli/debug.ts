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
      usage: 'codex debug native|startup',
      summary: 'Self-check of this build: `native` loads the embedded native addons, round-trips zstd, reports the Landlock ABI (one JSON line; exit 1 if a check fails); `startup` says whether V8 took the embedded code cache.',
      commands: [
        { name: 'native', summary: 'check the native addons' },
        { name: 'startup', summary: 'whether the code cache was accepted' },
      ],
      example: 'codex debug native',
    },
  });
  const [what] = p.positionals;
  if (what === 'startup') {
    // Whether V8 took the code cache embedded by the build (scripts/code-cache.mjs sets the mark).
    const mark = (globalThis as Record<symbol, unknown>)[Symbol.for('codex-ts.code-cache')];
    process.stdout.write(JSON.stringify({ sea: isSea(), code_cache: typeof mark === 'string' ? mark : 'none' }) + '\n');
    return 0;
  }
  if (what !== 'native') throw new CodexError('USAGE', 'usage: codex debug native|startup (see `codex debug --help`)');
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
