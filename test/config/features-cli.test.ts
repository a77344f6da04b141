// `codex features …` against the built binary, and against Codex 0.169 where it helps.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codex, referenceCodex, REFERENCE_MISSING_REASON, run, tempDir } from '../helpers/bin.js';

function home(text?: string): string {
  const h = tempDir('codex-features-');
  if (text !== undefined) fs.writeFileSync(path.join(h, 'config.toml'), text);
  return h;
}
const env = (h: string) => ({ ...process.env, CODEX_HOME: h });

describe('codex features', () => {
  it('list shows name, stage and effective state; --json one object per line', () => {
    const h = home('[features]\nlocal_thread_store_compression = true\n');
    const r = codex(['features', 'list'], { env: env(h) });
    expect(r.status).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('local_thread_store_compression '));
    expect(line?.split(/\s{2,}/)).toEqual(['local_thread_store_compression', 'under development', 'true']);
    const j = codex(['--disable', 'local_thread_store_compression', 'features', 'list', '--json'], { env: env(h) });
    expect(j.status).toBe(0);
    const items = j.stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string; stage: string; enabled: boolean });
    expect(items.find((i) => i.name === 'local_thread_store_compression')).toMatchObject({ stage: 'under development', enabled: false });
    expect(items.length).toBeGreaterThan(100);
  });

  it('enable/disable edit config.toml keeping comments and layout', () => {
    const original = '# my settings\nmodel = "x" # trailing comment\n\n[features]\n# flags I use\nsomething_unknown = true\n\n[other]\nkeep = [1, 2]\n';
    const h = home(original);
    const cfg = path.join(h, 'config.toml');
    const e = codex(['features', 'enable', 'local_thread_store_compression'], { env: env(h) });
    expect(e.status).toBe(0);
    expect(e.stdout).toContain('Enabled feature `local_thread_store_compression`');
    expect(fs.readFileSync(cfg, 'utf8')).toBe(original.replace('something_unknown = true\n', 'something_unknown = true\nlocal_thread_store_compression = true\n'));
    const l = codex(['features', 'list', '--json'], { env: env(h) });
    expect(l.stdout).toContain('"name":"local_thread_store_compression","stage":"under development","enabled":true');
    // disabling a default-off flag removes the key again: the file is back to the original text
    expect(codex(['features', 'disable', 'local_thread_store_compression'], { env: env(h) }).status).toBe(0);
    expect(fs.readFileSync(cfg, 'utf8')).toBe(original);
    // disabling a default-on flag records `false`
    expect(codex(['features', 'disable', 'shell_tool'], { env: env(h) }).status).toBe(0);
    expect(fs.readFileSync(cfg, 'utf8')).toContain('something_unknown = true\nshell_tool = false\n');
    expect(fs.readdirSync(h)).toEqual(['config.toml']); // no temp file left behind
  });

  it('enable creates config.toml when missing', () => {
    const h = home();
    expect(codex(['features', 'enable', 'local_thread_store_compression'], { env: env(h) }).status).toBe(0);
    expect(fs.readFileSync(path.join(h, 'config.toml'), 'utf8')).toBe('[features]\nlocal_thread_store_compression = true\n');
  });

  it('an unknown flag is an error listing close names', () => {
    const h = home();
    const r = codex(['features', 'enable', 'local_thread_store_compresion'], { env: env(h) });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      "codex: unknown feature flag 'local_thread_store_compresion' (did you mean 'local_thread_store_compression', 'local_thread_store_shared_compression'?) [UNKNOWN_FEATURE]",
    );
    expect(fs.existsSync(path.join(h, 'config.toml'))).toBe(false);
    const g = codex(['--enable', 'nosuch_flag_at_all', 'features', 'list'], { env: env(h) });
    expect(g.status).toBe(1);
    expect(g.stderr).toContain('[UNKNOWN_FEATURE]');
  });

  it('a malformed config.toml is one error line naming the line, and is never rewritten', () => {
    const bad = 'model = "x"\n[features\nfoo = 1\n';
    const h = home(bad);
    for (const args of [['features', 'list'], ['features', 'enable', 'shell_tool']]) {
      const r = codex(args, { env: env(h) });
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/config\.toml:2:\d+: .*line 2: "\[features".*\[CONFIG_PARSE\]/);
    }
    expect(fs.readFileSync(path.join(h, 'config.toml'), 'utf8')).toBe(bad);
  });

  it('-c overrides parse values as TOML and feed features', () => {
    const h = home('[features]\nshell_tool = true\n');
    const r = codex(['-c', 'features.shell_tool=false', 'features', 'list'], { env: env(h) });
    expect(r.stdout).toMatch(/^shell_tool\s+stable\s+false$/m);
    const bad = codex(['-c', 'nokey', 'features', 'list'], { env: env(h) });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('[USAGE]');
  });

  describe('against Codex 0.169', () => {
    const ref = referenceCodex();
    it.skipIf(!ref)(`lists the same flags, stages and defaults${ref ? '' : ` (skipped: ${REFERENCE_MISSING_REASON})`}`, () => {
      const h = home('[features]\nlocal_thread_store_compression = true\nshell_tool = false\n');
      const ours = codex(['features', 'list'], { env: env(h) });
      const theirs = run(ref!, ['features', 'list'], { env: env(h) });
      expect(theirs.status).toBe(0);
      expect(ours.stdout).toBe(theirs.stdout);
    });
    it.skipIf(!ref)(`reads a config.toml we edited, and we read one it edited${ref ? '' : ` (skipped: ${REFERENCE_MISSING_REASON})`}`, () => {
      const h = home('# keep me\nmodel = "m"\n');
      expect(codex(['features', 'enable', 'local_thread_store_compression'], { env: env(h) }).status).toBe(0);
      expect(run(ref!, ['features', 'list'], { env: env(h) }).stdout).toMatch(/^local_thread_store_compression\s+under development\s+true$/m);
      expect(run(ref!, ['features', 'disable', 'shell_tool'], { env: env(h) }).status).toBe(0);
      expect(codex(['features', 'list'], { env: env(h) }).stdout).toMatch(/^shell_tool\s+stable\s+false$/m);
    });
  });
});
