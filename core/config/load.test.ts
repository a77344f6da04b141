import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CodexError } from '../../protocol/index.js';
import { loadConfig } from './load.js';
import { resolveCodexHome } from './home.js';

const dirs: string[] = [];
function home(text?: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-cfg-'));
  dirs.push(d);
  if (text !== undefined) fs.writeFileSync(path.join(d, 'config.toml'), text);
  return d;
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('loadConfig', () => {
  it('uses CODEX_HOME, else ~/.codex', () => {
    expect(resolveCodexHome({ CODEX_HOME: '/x/y' })).toBe('/x/y');
    expect(resolveCodexHome({ HOME: '/h' })).toBe('/h/.codex');
  });

  it('works without a config file', () => {
    const c = loadConfig({ codexHome: home() });
    expect(c.fileExists).toBe(false);
    expect(c.raw).toEqual({});
    expect(c.features.isEnabled('local_thread_store_compression')).toBe(false);
    expect(c.compression.minAgeMs).toBe(7 * 86_400_000);
  });

  it('layers file, profile, -c and --enable/--disable, keeping unknown keys', () => {
    const h = home(
      ['model = "base"', 'profile = "fast"', 'unknown_key = { nested = [1, 2] }', '[features]', 'shell_tool = false', '[profiles.fast]', 'model = "fast-model"', '[profiles.fast.features]', 'local_thread_store_compression = true', ''].join('\n'),
    );
    const c = loadConfig({ codexHome: h, overrides: ['model_providers.mock.base_url=http://127.0.0.1:9/v1', 'sandbox_mode="read-only"'], enable: ['shell_tool'] });
    expect(c.profile).toBe('fast');
    expect(c.raw.model).toBe('fast-model');
    expect(c.raw.unknown_key).toEqual({ nested: [1, 2] });
    expect(c.raw.model_providers).toEqual({ mock: { base_url: 'http://127.0.0.1:9/v1' } });
    expect(c.raw.sandbox_mode).toBe('read-only');
    expect(c.features.isEnabled('local_thread_store_compression')).toBe(true);
    expect(c.features.isEnabled('shell_tool')).toBe(true);
    expect(c.model).toBe('fast-model');
    const file = path.join(h, 'config.toml');
    expect(c.originOf(['model'])).toEqual({ layer: 'profile', file, line: 7 });
    expect(c.originOf(['sandbox_mode'])).toEqual({ layer: 'override', arg: '-c sandbox_mode="read-only"' });
    expect(c.originOf(['features', 'shell_tool'])).toEqual({ layer: 'flag', arg: '--enable shell_tool' });
    expect(c.warnings).toEqual([`ignoring 1 unrecognized configuration setting (a typo, or a key of another Codex version): \`unknown_key\` (${file}:3)`]);
    const d = loadConfig({ codexHome: h, disable: ['local_thread_store_compression'], overrides: ['features.shell_tool=false'] });
    expect(d.features.isEnabled('local_thread_store_compression')).toBe(false);
    expect(d.features.isEnabled('shell_tool')).toBe(false);
  });

  it('--profile beats the file, and an unknown profile is an error', () => {
    const h = home('profile = "a"\n[profiles.a]\nmodel = "A"\n[profiles.b]\nmodel = "B"\n');
    expect(loadConfig({ codexHome: h, profile: 'b' }).raw.model).toBe('B');
    expect(loadConfig({ codexHome: h, overrides: ['profile=b'] }).raw.model).toBe('B');
    expect(() => loadConfig({ codexHome: h, profile: 'zzz' })).toThrow(/profile 'zzz' not found.*have: a, b/);
  });

  it('a malformed file is CONFIG_PARSE naming the line', () => {
    const h = home('model = "x"\n\n[features\nfoo = 1\n');
    let err: unknown;
    try {
      loadConfig({ codexHome: h });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CodexError);
    expect((err as CodexError).code).toBe('CONFIG_PARSE');
    expect((err as CodexError).message).toContain('config.toml:3:');
    expect((err as CodexError).message).toContain('line 3: "[features"');
  });

  it('unknown --enable names are UNKNOWN_FEATURE with close names', () => {
    expect(() => loadConfig({ codexHome: home(), enable: ['local_thread_store_compresion'] })).toThrow(/did you mean 'local_thread_store_compression'/);
  });

  it('reads [rollout_compression] knobs and rejects bad ones', () => {
    const c = loadConfig({ codexHome: home('[rollout_compression]\nmin_age_days = 0.5\nmax_run_seconds = 30\n') });
    expect(c.compression.minAgeMs).toBe(43_200_000);
    expect(c.compression.timeCapMs).toBe(30_000);
    expect(() => loadConfig({ codexHome: home('[rollout_compression]\nmin_age_days = "x"\n') })).toThrow(/min_age_days/);
  });
});
