// startBackgroundCompression: off by default; with the flag on, one detached pass that logs its summary.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/index.js';
import { startBackgroundCompression } from '../../core/features/index.js';
import { spawn } from 'node:child_process';
import { CODEX_BIN, copyFixtureHome, tempDir } from '../helpers/bin.js';
import { startMock } from '../mock/server.js';
import { DAY, exists, makeStore, setAge } from './helpers.js';

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

  it('`codex --enable local_thread_store_compression exec …` compresses cold archived rollouts in the background', async () => {
    const home = copyFixtureHome();
    const arch = path.join(home, 'archived_sessions');
    const plain = path.join(arch, fs.readdirSync(arch).find((n) => n.endsWith('.jsonl'))!);
    setAge(plain, 9 * DAY);
    const before = fs.readFileSync(plain);
    const mock = await startMock({ steps: [{ kind: 'message', text: 'done' }] });
    try {
      fs.writeFileSync(
        path.join(home, 'config.toml'),
        `model = "mock-model"\nmodel_provider = "mock"\n[model_providers.mock]\nname = "mock"\nbase_url = "${mock.url}"\nwire_api = "responses"\nenv_key = "MOCK_KEY"\n`,
      );
      const child = spawn(CODEX_BIN, ['--enable', 'local_thread_store_compression', 'exec', '--skip-git-repo-check', 'hello'], {
        cwd: tempDir('codex-bg-cwd-'),
        env: { ...process.env, CODEX_HOME: home, MOCK_KEY: 'k' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
      expect(code).toBe(0);
      expect(out).toContain('done');
      await until(() => exists(`${plain}.zst`) && !exists(plain));
      const { zstdDecompress } = await import('../../native/index.js');
      expect((await zstdDecompress(fs.readFileSync(`${plain}.zst`))).equals(before)).toBe(true);
      await until(() => exists(path.join(home, 'log', 'rollout-compression.log')));
    } finally {
      await mock.close();
    }
  });
});
