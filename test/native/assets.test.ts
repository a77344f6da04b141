import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODEX_BIN, ROOT, codex, runAsync, tempDir } from '../helpers/bin.js';
import { assistantLine, idFor, metaLine, userLine, writeSession } from '../rollout/store-gen.js';

interface NativeReport {
  sea: boolean;
  zstd_round_trip: boolean;
  zstd_frame_magic: string;
  landlock_abi: number;
}

function parse(out: string): NativeReport {
  return JSON.parse(out) as NativeReport;
}

/** Four `codex debug native` started at once with `env`: each loads both addons (zstd round trip). */
async function expectFourAtOnceLoad(env: NodeJS.ProcessEnv): Promise<void> {
  const runs = await Promise.all([0, 1, 2, 3].map(() => runAsync(CODEX_BIN, ['debug', 'native'], { env })));
  for (const r of runs) {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(parse(r.stdout).zstd_round_trip).toBe(true);
  }
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
      await expectFourAtOnceLoad({ ...process.env, CODEX_TS_CACHE_DIR: cache });
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

/** The cached copy of an addon, after one run has filled the cache. */
function cachedAddon(cache: string, name: 'koffi' | 'zstd'): string {
  for (const d of fs.readdirSync(path.join(cache, 'native'))) {
    const f = path.join(cache, 'native', d, `${name}.node`);
    if (fs.existsSync(f)) return f;
  }
  throw new Error(`no cached ${name}.node under ${cache}`);
}

const DEV_ADDON = {
  koffi: path.join(ROOT, 'node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node'),
  zstd: path.join(ROOT, 'node_modules/@mongodb-js/zstd-linux-x64-gnu/zstd.linux-x64-gnu.node'),
};

const cc = spawnSync('cc', ['--version']).status === 0;

describe('the addon cache is verified by content, not trusted', () => {
  /**
   * A shared library whose constructor writes a marker file (its path from $CODEX_TS_TEST_MARKER),
   * padded to the exact size of `size`: what a sandboxed command that could write the cache would plant.
   */
  function plantedLibrary(dir: string, size: number): string {
    const src = path.join(dir, 'evil.c');
    fs.writeFileSync(
      src,
      `#include <stdio.h>\n#include <stdlib.h>\n__attribute__((constructor)) static void planted(void) {\n  const char *m = getenv("CODEX_TS_TEST_MARKER");\n  FILE *f = m ? fopen(m, "w") : NULL;\n  if (f) { fputs("ran outside the sandbox\\n", f); fclose(f); }\n}\n`,
    );
    const so = path.join(dir, 'evil.so');
    const r = spawnSync('cc', ['-shared', '-fPIC', '-o', so, src], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cc failed: ${r.stderr}`);
    const bytes = fs.readFileSync(so);
    if (bytes.length > size) throw new Error('planted library larger than the addon');
    // Trailing zeros do not stop the dynamic loader: same size as the real addon, different bytes.
    fs.writeFileSync(so, Buffer.concat([bytes, Buffer.alloc(size - bytes.length)]));
    return so;
  }

  for (const name of ['koffi', 'zstd'] as const) {
    it.skipIf(!cc)(`a same-size library swapped in for the cached ${name}.node is never loaded, and is replaced`, () => {
      const cache = tempDir();
      const env = { ...process.env, CODEX_TS_CACHE_DIR: cache };
      expect(codex(['debug', 'native'], { env }).status).toBe(0);
      const file = cachedAddon(cache, name);
      const real = fs.readFileSync(DEV_ADDON[name]);
      expect(fs.readFileSync(file).equals(real)).toBe(true);
      const work = tempDir();
      const evil = plantedLibrary(work, real.length);
      fs.rmSync(file);
      fs.copyFileSync(evil, file);
      expect(fs.statSync(file).size).toBe(real.length);
      const marker = path.join(work, 'marker');
      // Sanity: the planted library does run its constructor when something loads it.
      const probe = spawnSync(process.execPath, ['-e', `try { process.dlopen({ exports: {} }, ${JSON.stringify(file)}) } catch {}`], {
        env: { ...env, CODEX_TS_TEST_MARKER: marker },
      });
      expect(probe.status).toBe(0);
      expect(fs.existsSync(marker)).toBe(true);
      fs.rmSync(marker);

      const r = codex(['debug', 'native'], { env: { ...env, CODEX_TS_TEST_MARKER: marker } });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(parse(r.stdout).zstd_round_trip).toBe(true);
      expect(fs.existsSync(marker)).toBe(false);
      expect(fs.readFileSync(file).equals(real)).toBe(true);
    });
  }

  it.skipIf(!cc)('processes starting at once over a planted koffi.node: none loads it, all work, one good copy stays', async () => {
    const cache = tempDir();
    const env = { ...process.env, CODEX_TS_CACHE_DIR: cache };
    expect(codex(['debug', 'native'], { env }).status).toBe(0);
    const file = cachedAddon(cache, 'koffi');
    const real = fs.readFileSync(DEV_ADDON.koffi);
    const work = tempDir();
    const marker = path.join(work, 'marker');
    fs.rmSync(file);
    fs.copyFileSync(plantedLibrary(work, real.length), file);
    await expectFourAtOnceLoad({ ...env, CODEX_TS_TEST_MARKER: marker });
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.readFileSync(file).equals(real)).toBe(true);
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.skipIf(!cc)('the search helper thread loads the verified koffi too, never the planted one', () => {
    const cache = tempDir();
    const home = tempDir('search-planted-');
    // Enough sessions for the helper thread (it starts from 64); the main thread leaves all to it.
    for (let n = 0; n < 70; n++) {
      const stamp = `2026-04-${String(1 + (n % 28)).padStart(2, '0')}T10-00-${String(n % 60).padStart(2, '0')}`;
      writeSession(home, stamp, idFor(n), [metaLine(idFor(n)), userLine(n % 7 === 0 ? `the quokka file ${n}` : `plain ${n}`), assistantLine('ok')]);
    }
    const env = { ...process.env, CODEX_HOME: home, CODEX_TS_CACHE_DIR: cache };
    expect(codex(['debug', 'native'], { env }).status).toBe(0);
    const file = cachedAddon(cache, 'koffi');
    const work = tempDir();
    const marker = path.join(work, 'marker');
    fs.rmSync(file);
    fs.copyFileSync(plantedLibrary(work, fs.readFileSync(DEV_ADDON.koffi).length), file);
    const r = codex(['sessions', 'search', 'quokka', '--all', '--json'], {
      env: { ...env, CODEX_TS_TEST_MARKER: marker, CODEX_TS_SEARCH_STATS: '1', CODEX_TS_SEARCH_HELPER_ONLY: '1' },
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('the helper thread took 70 files');
    expect(r.stdout.trim().split('\n')).toHaveLength(10);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('a FIFO, a directory or a symlink to a device at the cache path neither hangs nor breaks the start', () => {
    const cache = tempDir();
    const env = { ...process.env, CODEX_TS_CACHE_DIR: cache };
    expect(codex(['debug', 'native'], { env }).status).toBe(0);
    const koffi = cachedAddon(cache, 'koffi');
    const zstd = cachedAddon(cache, 'zstd');
    fs.rmSync(koffi);
    expect(spawnSync('mkfifo', [koffi]).status).toBe(0);
    fs.rmSync(zstd);
    fs.symlinkSync('/dev/zero', zstd);
    const r = codex(['debug', 'native'], { env, timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(parse(r.stdout).zstd_round_trip).toBe(true);
    // Both replaced by the real addon.
    expect(fs.readFileSync(koffi).equals(fs.readFileSync(DEV_ADDON.koffi))).toBe(true);
    expect(fs.readFileSync(zstd).equals(fs.readFileSync(DEV_ADDON.zstd))).toBe(true);
    // A directory cannot be renamed over: the verified private copy is loaded instead.
    fs.rmSync(koffi);
    fs.mkdirSync(koffi);
    const r2 = codex(['debug', 'native'], { env, timeout: 20_000 });
    expect(r2.status).toBe(0);
    expect(parse(r2.stdout).landlock_abi).toBe(parse(r.stdout).landlock_abi);
    expect(fs.statSync(koffi).isDirectory()).toBe(true);
    expect(fs.readdirSync(path.dirname(koffi)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
