// `codex sessions doctor [--repair] [--json]`. Exit 0 when the store is healthy afterwards
// (nothing found, or everything found repaired), 1 when problems remain.
import { assertStoreWritable, doctor, storeWriteError, type DoctorReport } from '../../../rollout/manage/index.js';
import { codexHome } from '../../../rollout/index.js';
import { loadConfig } from '../../config/index.js';
import { flagBool, parseArgs } from '../args.js';
import type { CliContext } from '../context.js';

export async function doctorMain(ctx: CliContext): Promise<number> {
  const args = parseArgs(
    ctx.args,
    [
      { name: 'repair', kind: 'bool', description: 'fix what can be fixed safely' },
      { name: 'json', kind: 'bool', description: 'one JSON object per finding' },
    ],
    {
      maxPositionals: 0,
      help: { usage: 'codex sessions doctor [--repair] [--json]', summary: 'Find torn lines, plain/.zst conflicts, orphans, stale locks, misplaced files and dangling names.', example: 'codex sessions doctor' },
    },
  );
  const repair = flagBool(args, 'repair');
  const home = codexHome();
  // The compression lock is judged with the same limit the worker uses; thread locks are where configured.
  let staleMs: number | undefined;
  let lock: { lockDir?: string } = {};
  try {
    const cfg = loadConfig({ overrides: ctx.overrides, enable: ctx.enable, disable: ctx.disable });
    staleMs = cfg.compression.staleMs;
    lock = cfg.sessions.lockDir ? { lockDir: cfg.sessions.lockDir } : {};
  } catch {
    staleMs = undefined; // a broken config.toml must not keep doctor from reporting
  }
  if (repair) assertStoreWritable(home, 'doctor --repair', lock);
  let report: DoctorReport;
  try {
    report = await doctor({ home, repair, lock, ...(staleMs !== undefined ? { staleMs } : {}) });
  } catch (e) {
    throw storeWriteError(e);
  }
  if (flagBool(args, 'json')) process.stdout.write(JSON.stringify(report) + '\n');
  else process.stdout.write(renderText(report));
  return report.healthy ? 0 : 1;
}

function renderText(r: DoctorReport): string {
  const out: string[] = [];
  for (const f of r.findings) {
    const where = 'path' in f ? f.path : f.kind === 'pair_mismatch' ? `${f.plain} + .zst (${f.relation})` : `session_index.jsonl line ${f.line}: ${f.name ?? ''} → ${f.id}`;
    out.push(`[${f.fix}] ${f.kind}: ${where}: ${f.detail} [${f.code}]`);
  }
  if (r.quarantine.length) {
    out.push(`Quarantine (${r.quarantine.length} file${r.quarantine.length === 1 ? '' : 's'} kept whole; inspect, then delete or move back by hand):`);
    for (const q of r.quarantine) out.push(`  ${q.path} (was ${q.from}, ${q.bytes} bytes, moved ${q.at})`);
  }
  const { found, repaired, remaining } = r.counts;
  if (found === 0) out.push(`Session store ${r.home} is healthy.`);
  else {
    out.push(`${found} problem${found === 1 ? '' : 's'} found, ${repaired} repaired, ${remaining} remaining.`);
    if (!r.repair && r.findings.some((f) => f.fix === 'repairable')) out.push('Run `codex sessions doctor --repair` to fix the repairable ones.');
  }
  return out.join('\n') + '\n';
}
