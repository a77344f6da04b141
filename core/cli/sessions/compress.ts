// `codex sessions compress [--dry-run] [--json] [--min-age DUR] [--time-cap DUR]`: one pass of the
// compression worker in the foreground (progress bar on a TTY, summary at the end). The hidden
// `--background` form is what the core spawns at start-up when the feature flag is on: silent, the
// summary goes to $CODEX_HOME/log/rollout-compression.log.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodexError } from '../../../protocol/index.js';
import { runCompressionPass, type PassProgress, type PassSummary } from '../../../rollout/compress/index.js';
import { assertStoreWritable, parseDuration, storeWriteError } from '../../../rollout/manage/index.js';
import { loadConfig, type CodexConfig } from '../../config/index.js';
import { flagBool, flagString, parseArgs, type FlagSpec } from '../args.js';
import type { CliContext } from '../context.js';

const SPECS: FlagSpec[] = [
  { name: 'dry-run', kind: 'bool', description: 'list what would be compressed, change nothing' },
  { name: 'json', kind: 'bool', description: 'the summary as JSON' },
  { name: 'min-age', kind: 'string', value: 'DUR', description: 'only rollouts last written before DUR ago (0 for all)' },
  { name: 'time-cap', kind: 'string', value: 'DUR', description: 'stop starting new files after DUR' },
  { name: 'background', kind: 'bool', hidden: true },
];

export const COMPRESSION_LOG = path.join('log', 'rollout-compression.log');

/** `0`, `0s`, … mean "no minimum"; anything else goes through the shared duration parser. */
function durationOrZero(text: string): number {
  return /^\s*0+(s|m|h|d|w)?\s*$/i.test(text) ? 0 : parseDuration(text);
}

export async function sessionsCompressMain(ctx: CliContext): Promise<number> {
  const p = parseArgs(ctx.args, SPECS, {
    maxPositionals: 0,
    help: { usage: 'codex sessions compress [OPTIONS]', summary: 'Run one pass of the compression worker now: cold archived rollouts become .jsonl.zst.', example: 'codex sessions compress --min-age 0 --dry-run' },
  });
  const background = flagBool(p, 'background');
  let cfg: CodexConfig;
  try {
    cfg = loadConfig({ overrides: ctx.overrides, enable: ctx.enable, disable: ctx.disable });
  } catch (e) {
    if (background) return 0; // never complain from the background
    throw e;
  }
  const s = cfg.compression;
  const minAge = flagString(p, 'min-age');
  const cap = flagString(p, 'time-cap');
  const opts = {
    home: cfg.codexHome,
    lock: cfg.sessions,
    minAgeMs: minAge !== undefined ? durationOrZero(minAge) : s.minAgeMs,
    timeCapMs: cap !== undefined ? parseDuration(cap) : s.timeCapMs,
    heartbeatMs: s.heartbeatMs,
    staleMs: s.staleMs,
    dryRun: flagBool(p, 'dry-run'),
  };
  if (background) return runInBackground(cfg.codexHome, opts);

  // The same code as prune and doctor --repair for a store we cannot write.
  if (!opts.dryRun) assertStoreWritable(cfg.codexHome, 'sessions compress', cfg.sessions);
  const bar = process.stderr.isTTY && !flagBool(p, 'json') ? progressBar() : undefined;
  let summary: PassSummary;
  try {
    summary = await runCompressionPass({ ...opts, ...(bar ? { onProgress: bar.update } : {}) });
  } catch (e) {
    throw storeWriteError(e);
  } finally {
    bar?.clear();
  }
  if (summary.status === 'locked') {
    throw new CodexError('COMPRESS_LOCKED', `another compression run holds ${path.join(cfg.codexHome, '.tmp', 'rollout-compression.lock')}: ${summary.lockHolder}`);
  }
  if (summary.codexIndexNote) process.stderr.write(`note: ${summary.codexIndexNote}\n`);
  for (const f of summary.files) {
    if (f.error) process.stderr.write(`codex: ${f.reason}: ${f.path}: ${f.error}\n`);
  }
  process.stdout.write(flagBool(p, 'json') ? JSON.stringify(summaryJson(summary)) + '\n' : summaryText(summary, opts.minAgeMs));
  return summary.errors > 0 ? 1 : 0;
}

async function runInBackground(home: string, opts: Parameters<typeof runCompressionPass>[0]): Promise<number> {
  let line: string;
  try {
    const summary = await runCompressionPass(opts);
    line = JSON.stringify({ at: new Date().toISOString(), pid: process.pid, ...summaryJson(summary) });
  } catch (e) {
    line = JSON.stringify({ at: new Date().toISOString(), pid: process.pid, status: 'failed', error: (e as Error).message ?? String(e) });
  }
  try {
    const log = path.join(home, COMPRESSION_LOG);
    fs.mkdirSync(path.dirname(log), { recursive: true });
    fs.appendFileSync(log, line + '\n');
  } catch {
    /* nowhere to log: the next run reports again */
  }
  return 0;
}

/** The stable --json shape (snake_case). */
export function summaryJson(s: PassSummary): Record<string, unknown> {
  return {
    status: s.status,
    dry_run: s.dryRun,
    ...(s.lockHolder !== undefined ? { lock_holder: s.lockHolder } : {}),
    ...(s.tookOverStaleLock !== undefined ? { took_over_stale_lock: s.tookOverStaleLock } : {}),
    candidates: s.candidates,
    compressed: s.compressed,
    bytes_before: s.bytesBefore,
    bytes_after: s.bytesAfter,
    ratio: Number(s.ratio.toFixed(4)),
    skipped: s.skipped,
    errors: s.errors,
    resolved: s.resolved,
    temps_removed: s.tempsRemoved,
    not_cold: s.notCold,
    took_ms: s.tookMs,
    files: s.files.map((f) => ({
      path: f.path,
      id: f.id,
      action: f.action,
      ...(f.reason !== undefined ? { reason: f.reason } : {}),
      bytes_in: f.bytesIn,
      bytes_out: f.bytesOut,
      ...(f.error !== undefined ? { error: f.error } : {}),
    })),
  };
}

function mb(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;
}

export function summaryText(s: PassSummary, minAgeMs: number): string {
  const lines: string[] = [];
  const verb = s.dryRun ? 'would compress' : 'compressed';
  const sizes = s.dryRun ? mb(s.bytesBefore) : `${mb(s.bytesBefore)} -> ${mb(s.bytesAfter)} (${(s.ratio * 100).toFixed(1)}%)`;
  lines.push(`${verb} ${s.compressed} of ${s.candidates} archived rollout(s): ${sizes}`);
  const skipped = Object.entries(s.skipped);
  if (skipped.length) lines.push(`skipped ${skipped.reduce((a, [, n]) => a + (n ?? 0), 0)}: ${skipped.map(([r, n]) => `${r} ${n}`).join(', ')}`);
  if (s.resolved) lines.push(`${s.dryRun ? 'would resolve' : 'resolved'} ${s.resolved} interrupted transition(s) (plain and .zst both present)`);
  if (s.notCold) lines.push(`not cold yet: ${s.notCold} (modified less than ${Math.round(minAgeMs / 3_600_000)} h ago)`);
  if (s.tempsRemoved) lines.push(`removed ${s.tempsRemoved} temp file(s) left by a crashed run`);
  if (s.tookOverStaleLock) lines.push(`took over a stale store lock (${s.tookOverStaleLock})`);
  if (s.status === 'time_cap') lines.push('stopped at the time cap; the next run continues');
  lines.push(`took ${(s.tookMs / 1000).toFixed(1)} s`);
  return lines.join('\n') + '\n';
}

function progressBar(): { update: (p: PassProgress) => void; clear: () => void } {
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100 && p.done !== p.total) return;
      last = now;
      const width = 30;
      const frac = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.total > 0 ? p.done / p.total : 1;
      const fill = Math.round(frac * width);
      process.stderr.write(`\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${p.done}/${p.total} files, ${mb(p.bytesDone)} of ${mb(p.bytesTotal)}\x1b[K`);
      shown = true;
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
