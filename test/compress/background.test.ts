// startBackgroundCompression: off by default; with the flag on, one detached pass that logs its summary.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/index.js';
import { startBackgroundCompression } from '../../core/features/index.js';
import { CODEX_BIN } from '../helpers/bin.js';
import { exists, makeStore } from './helpers.js';

async function until(ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('background compression at start-up', () => {
  it('does nothing unless local_thread_store_compression is on', () => {
    const { home } = makeStore(1, 5000);
    const r = startBackgroundCompression(loadConfig({ codexHome: home }), { argvPrefix: [CODEX_BIN] });
    expect(r).toEqual({ started: false, why: 'disabled' });
    expect(exists(path.join(home, '.tmp'))).toBe(false);
  });

  it('with the flag on, a detached pass compresses cold archived rollouts and logs a summary; not re-run right away', async () => {
    const { home, stems } = makeStore(3, 20_000);
    fs.writeFileSync(path.join(home, 'config.toml'), '# mine\n[features]\nlocal_thread_store_compression = true\n[rollout_compression]\nmin_age_days = 1\n');
    const cfg = loadConfig({ codexHome: home });
    const r = startBackgroundCompression(cfg, { argvPrefix: [CODEX_BIN] });
    expect(r.started).toBe(true);
    const log = path.join(home, 'log', 'rollout-compression.log');
    await until(() => exists(log) && fs.readFileSync(log, 'utf8').includes('\n'));
    const entry = JSON.parse(fs.readFileSync(log, 'utf8').trim().split('\n').pop()!) as { status: string; compressed: number };
    expect(entry).toMatchObject({ status: 'done', compressed: 3 });
    for (const s of stems) expect(exists(`${s}.jsonl.zst`) && !exists(`${s}.jsonl`)).toBe(true);
    expect(startBackgroundCompression(cfg, { argvPrefix: [CODEX_BIN] })).toEqual({ started: false, why: 'recent_run' });
    // a broken executable path never throws into the caller
    expect(startBackgroundCompression(cfg, { argvPrefix: ['/nonexistent/codex'], force: true }).started).toBe(true);
  });
});
