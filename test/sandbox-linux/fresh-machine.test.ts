// A machine without a system bubblewrap (a fresh Debian container): the build bundles one from the
// distribution's package without root, and the sandbox runs through it. The system bwrap is hidden
// in a private mount namespace (/dev/null bound over it), which needs root and unshare.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST, ROOT, scratchOutsideTmp, tempDir } from '../helpers/bin.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const root = process.getuid?.() === 0;
const unshare = has('unshare') && root && spawnSync('unshare', ['-m', 'true']).status === 0;
const why = !root ? 'needs root to hide the system bwrap in a mount namespace' : !unshare ? 'needs a working `unshare -m`' : '';

/** Every bwrap on PATH, resolved (bind-mounting over the real file hides each name for it). */
function systemBwraps(): string[] {
  const out = new Set<string>();
  for (const d of (process.env.PATH ?? '').split(':')) {
    try {
      const f = path.join(d, 'bwrap');
      if (path.isAbsolute(d) && fs.statSync(f).isFile()) out.add(fs.realpathSync(f));
    } catch {
      /* none here */
    }
  }
  return [...out];
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs `script` with sh in a private mount namespace where the system bwrap (and `hide`) are /dev/null. */
function withoutSystemBwrap(script: string, opts: { hide?: string[]; cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const binds = [...systemBwraps(), ...(opts.hide ?? [])].map((b) => `mount --bind /dev/null ${q(b)} &&`).join(' ');
  const r = spawnSync('unshare', ['-m', 'sh', '-c', `${binds} ${script}`], { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** dist/ where discovery may use its bundled bwrap: a copy outside the temp dir when the checkout is inside it. */
function distOutsideTmp(): string {
  const tmp = fs.realpathSync(os.tmpdir());
  const real = fs.realpathSync(DIST);
  if (!(real === tmp || real.startsWith(tmp + '/'))) return real;
  const d = scratchOutsideTmp('codex-ts-dist-');
  fs.copyFileSync(path.join(DIST, 'codex'), path.join(d, 'codex'));
  fs.chmodSync(path.join(d, 'codex'), 0o755);
  fs.mkdirSync(path.join(d, 'codex-resources'));
  fs.copyFileSync(path.join(DIST, 'codex-resources', 'bwrap'), path.join(d, 'codex-resources', 'bwrap'));
  fs.chmodSync(path.join(d, 'codex-resources', 'bwrap'), 0o755);
  return d;
}

describe.skipIf(!!why)(`a machine without a system bubblewrap${why ? ` (skipped: ${why})` : ''}`, () => {
  it('sandboxed commands run through the bundled codex-resources/bwrap, with a warning naming it', () => {
    expect(fs.existsSync(path.join(DIST, 'codex-resources', 'bwrap')), 'the build bundles a bwrap (see its output for what to install)').toBe(true);
    const dist = distOutsideTmp();
    const bundled = path.join(dist, 'codex-resources', 'bwrap');
    const codex = path.join(dist, 'codex');
    const ws = tempDir('codex-ts-fresh-ws-');
    const outside = scratchOutsideTmp('codex-ts-fresh-outside-');
    const env = { ...process.env, CODEX_HOME: tempDir('codex-ts-fresh-home-'), CODEX_TS_CACHE_DIR: tempDir('codex-ts-fresh-cache-') };
    const r = withoutSystemBwrap(
      [
        `command -v bwrap >/dev/null && [ -x "$(command -v bwrap)" ] && echo system-bwrap-visible`,
        `${q(codex)} sandbox -s workspace-write -- sh -c 'echo ok > f'; echo "inside=$?"`,
        `${q(codex)} sandbox -s workspace-write -- sh -c ${q(`echo bad > ${outside}/x`)} 2>/dev/null; echo "outside=$?"`,
        `${q(codex)} sandbox -s read-only -- sh -c 'echo bad > g' 2>/dev/null; echo "read-only=$?"`,
      ].join('; '),
      { cwd: ws, env },
    );
    expect(r.stdout).not.toContain('system-bwrap-visible');
    expect(r.stdout).toContain('inside=0');
    expect(fs.readFileSync(path.join(ws, 'f'), 'utf8')).toBe('ok\n');
    expect(r.stdout).toMatch(/outside=[1-9]/);
    expect(fs.existsSync(path.join(outside, 'x'))).toBe(false);
    expect(r.stdout).toMatch(/read-only=[1-9]/);
    expect(fs.existsSync(path.join(ws, 'g'))).toBe(false);
    expect(r.stderr).toContain(`codex: warning: no system bubblewrap on PATH: using the bundled ${bundled}`);
  });

  it.skipIf(!has('apt-get') || !has('dpkg-deb') || process.env.CODEX_TS_OFFLINE === '1')(
    'the build fetches the distribution’s bubblewrap without root, even with no package index (skipped without apt, or with CODEX_TS_OFFLINE=1)',
    () => {
      const dest = tempDir('codex-ts-fresh-dest-');
      // Containers often ship without /var/lib/apt/lists: empty it too.
      const r = withoutSystemBwrap(`mount -t tmpfs none /var/lib/apt/lists && mount -t tmpfs none /var/cache/apt && ${q(process.execPath)} ${q(path.join(ROOT, 'scripts', 'bundle-bwrap.mjs'))} ${q(dest)}`);
      expect(r.stderr).toContain('fetching the package index of this distribution into a private folder');
      expect(r.stderr).toMatch(/bundled bwrap from bubblewrap_\S+\.deb/);
      expect(r.status).toBe(0);
      const v = spawnSync(path.join(dest, 'bwrap'), ['--version'], { encoding: 'utf8' });
      expect(v.stdout).toMatch(/^bubblewrap \d/);
      expect(fs.statSync(path.join(dest, 'bwrap')).mode & 0o777).toBe(0o755);
    },
  );

  it('where no package can be fetched, the build says exactly what to install and goes on', () => {
    const dest = tempDir('codex-ts-fresh-dest-');
    const hide = ['apt-get', 'dpkg-deb'].filter(has).map((c) => fs.realpathSync(spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' }).stdout.trim()));
    const r = withoutSystemBwrap(`${q(process.execPath)} ${q(path.join(ROOT, 'scripts', 'bundle-bwrap.mjs'))} ${q(dest)}`, { hide });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('build: warning: no bubblewrap could be bundled (no apt-get/dpkg-deb here (not Debian or Ubuntu))');
    expect(r.stderr).toContain('Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora/RHEL: `sudo dnf install bubblewrap`');
    expect(fs.existsSync(path.join(dest, 'bwrap'))).toBe(false);
  });
});
