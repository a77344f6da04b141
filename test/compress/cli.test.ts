// `codex sessions compress` as users run it: progress on a terminal, summary, --json, lock contention.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODEX_BIN, codex } from '../helpers/bin.js';
import { makeStore, spawnEntry } from './helpers.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

describe('codex sessions compress', () => {
  it.skipIf(!hasScript)(`draws a progress bar on a terminal, then prints the summary${hasScript ? '' : ' (skipped: no `script` (util-linux) to give it a terminal)'}`, () => {
    const { home } = makeStore(3, 100_000);
    const r = spawnSync('script', ['-qec', `${CODEX_BIN} sessions compress`, '/dev/null'], { env: { ...process.env, CODEX_HOME: home }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\r\[#{30}\] 3\/3 files/);
    expect(r.stdout).toMatch(/compressed 3 of 3 archived rollout\(s\): [\d.]+ KB -> [\d.]+ KB \([\d.]+%\)/);
  });

  it('without a terminal: no progress bar, summary on stdout; --dry-run and --min-age', () => {
    const { home, stems } = makeStore(2, 20_000, 2 * 86_400_000);
    const env = { ...process.env, CODEX_HOME: home };
    const none = codex(['sessions', 'compress'], { env });
    expect(none.status).toBe(0);
    expect(none.stderr).toBe('');
    expect(none.stdout).toContain('compressed 0 of 0 archived rollout(s)');
    expect(none.stdout).toContain('not cold yet: 2');
    const dry = codex(['sessions', 'compress', '--dry-run', '--min-age', '1d'], { env });
    expect(dry.stdout).toMatch(/^would compress 2 of 2 archived rollout\(s\)/);
    expect(fs.existsSync(`${stems[0]}.jsonl`)).toBe(true);
    const bad = codex(['sessions', 'compress', '--min-age', 'soon'], { env });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('[BAD_DURATION]');
    const j = codex(['sessions', 'compress', '--json', '--min-age', '0'], { env });
    const s = JSON.parse(j.stdout) as Record<string, unknown>;
    expect(s).toMatchObject({ status: 'done', dry_run: false, candidates: 2, compressed: 2, errors: 0 });
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining(['bytes_before', 'bytes_after', 'ratio', 'skipped', 'resolved', 'temps_removed', 'not_cold', 'took_ms', 'files']),
    );
  });

  it('exits 1 with COMPRESS_LOCKED naming the holder while another pass runs', async () => {
    const { home } = makeStore(1, 5000);
    const tmp = path.join(home, '.tmp');
    fs.mkdirSync(tmp, { recursive: true });
    const holder = spawnEntry(['store-lock', tmp, '300000', 'hold']);
    const line = await new Promise<string>((r) => holder.stdout!.once('data', (d: Buffer) => r(d.toString())));
    expect(JSON.parse(line)).toMatchObject({ ok: true });
    try {
      const r = codex(['sessions', 'compress'], { env: { ...process.env, CODEX_HOME: home } });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`another compression run holds .*rollout-compression.lock: pid ${holder.pid} on \\S+, heartbeat \\d+ s ago \\[COMPRESS_LOCKED\\]`));
    } finally {
      holder.stdin!.end();
      await new Promise((r) => holder.on('close', r));
    }
  });
});
