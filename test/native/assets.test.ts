import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODEX_BIN, codex, tempDir } from '../helpers/bin.js';

interface NativeReport {
  sea: boolean;
  zstd_round_trip: boolean;
  zstd_frame_magic: string;
  landlock_abi: number;
}

function parse(out: string): NativeReport {
  return JSON.parse(out) as NativeReport;
}

describe('native addons inside the SEA', () => {
  it('zstd round trip and a koffi syscall (Landlock ABI query)', () => {
    const cache = tempDir();
    const r = codex(['debug', 'native'], { env: { ...process.env, CODEX_TS_CACHE_DIR: cache } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rep = parse(r.stdout);
    expect(rep.sea).toBe(true);
    expect(rep.zstd_round_trip).toBe(true);
    expect(rep.zstd_frame_magic).toBe('28b52ffd');
    // A number either way: the ABI version, or -errno where Landlock is off.
    expect(Number.isInteger(rep.landlock_abi)).toBe(true);
    if (fs.existsSync('/sys/kernel/security/landlock')) expect(rep.landlock_abi).toBeGreaterThan(0);
    // Cached under version + content hash, no temp files left.
    const dirs = fs.readdirSync(path.join(cache, 'native'));
    expect(dirs).toHaveLength(2);
    for (const d of dirs) {
      expect(d).toMatch(/^\d+\.\d+\.\d+-[0-9a-f]{16}$/);
      expect(fs.readdirSync(path.join(cache, 'native', d)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }
  });

  it('two processes starting at once with an empty cache both load the addons', async () => {
    for (let round = 0; round < 5; round++) {
      const cache = tempDir();
      const runs = await Promise.all(
        [0, 1, 2, 3].map(
          () =>
            new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
              const c = spawn(CODEX_BIN, ['debug', 'native'], { env: { ...process.env, CODEX_TS_CACHE_DIR: cache } });
              let out = '';
              let err = '';
              c.stdout.on('data', (d) => (out += d));
              c.stderr.on('data', (d) => (err += d));
              c.on('close', (code) => resolve({ code, out, err }));
            }),
        ),
      );
      for (const r of runs) {
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
        expect(parse(r.out).zstd_round_trip).toBe(true);
      }
    }
  });

  it('falls back to a private temp dir when the cache dir cannot be written', () => {
    const d = tempDir();
    const file = path.join(d, 'not-a-dir');
    fs.writeFileSync(file, '');
    for (const cache of [path.join(file, 'cache'), '/proc/codex-ts-no-such-dir']) {
      const r = codex(['debug', 'native'], { env: { ...process.env, CODEX_TS_CACHE_DIR: cache }, timeout: 20_000 });
      expect(r.status).toBe(0);
      expect(parse(r.stdout).zstd_round_trip).toBe(true);
    }
  });
});
