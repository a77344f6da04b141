// Every permissions profile the README shows runs commands as written, although the paths it names
// (/repo, /data, …) do not exist here: no placeholder is made under a root that does not exist, and
// a missing writable root is skipped (as Codex 0.169 does), never created.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODEX_BIN, ROOT, run, tempDir } from '../helpers/bin.js';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```toml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => /^\[permissions\./m.test(b));
const profiles = blocks.flatMap((text) => [...new Set([...text.matchAll(/^\[permissions\.([A-Za-z0-9_-]+)[\].]/gm)].map((m) => m[1]!))].map((name) => ({ name, text })));

describe('the README permissions profiles', () => {
  it('the README shows some', () => {
    expect(profiles.length).toBeGreaterThanOrEqual(3);
  });

  it.each(profiles)('profile `$name` runs a command and leaves the disk as it was', ({ name, text }) => {
    const scratch = fs.realpathSync(tempDir('codex-readme-prof-'));
    const home = path.join(scratch, 'codex-home');
    const ws = path.join(scratch, 'ws');
    fs.mkdirSync(home);
    fs.mkdirSync(ws);
    fs.writeFileSync(path.join(home, 'config.toml'), text);
    const before = ['/repo', '/data', '/srv/cache'].map((p) => fs.existsSync(p));
    const r = run(CODEX_BIN, ['sandbox', '--permissions', name, '--', 'sh', '-c', 'echo ran'], {
      cwd: ws,
      env: { PATH: '/usr/bin:/bin', HOME: scratch, CODEX_HOME: home, CODEX_TS_CACHE_DIR: path.join(scratch, 'cache') },
      timeout: 30_000,
    });
    expect({ status: r.status, stdout: r.stdout, errors: r.stderr.split('\n').filter((l) => l && !l.startsWith('codex: warning:')) }).toEqual({ status: 0, stdout: 'ran\n', errors: [] });
    expect(['/repo', '/data', '/srv/cache'].map((p) => fs.existsSync(p))).toEqual(before);
    expect(fs.readdirSync(ws)).toEqual([]);
  });
});
