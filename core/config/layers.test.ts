// The pure half of config loading: layers in memory → the typed config, origins, errors, warnings.
import * as fc from 'fast-check';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { ConfigTable } from './types.js';
import { layerConfig, type LayerOptions } from './layers.js';
import { keyLines, lineOf } from './origins.js';
import { getPath, isTable } from './overrides.js';

const PATH = '/h/config.toml';
function cfg(text: string, o: LayerOptions = {}) {
  return layerConfig({ codexHome: '/h', configPath: PATH, file: parseToml(text) as ConfigTable, text, fileExists: text !== '', ...o });
}
function err(f: () => unknown): { code?: string; message: string } {
  try {
    f();
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error('expected an error');
}

describe('keyLines', () => {
  it('maps key paths to their line: headers, dotted and quoted keys; skips multi-line strings', () => {
    const text = ['# c', 'model = "m"', 'a.b = 1', '"q.k" = 2', 'doc = """', 'fake = 3', '"""', '[t . "u.v"]', 'x = { y = 1 }', '[[arr]]', 'z = 1'].join('\n');
    const l = keyLines(text);
    expect(lineOf(l, ['model'])).toBe(2);
    expect(lineOf(l, ['a', 'b'])).toBe(3);
    expect(lineOf(l, ['q.k'])).toBe(4);
    expect(lineOf(l, ['fake'])).toBeUndefined();
    expect(lineOf(l, ['t', 'u.v'])).toBe(8);
    expect(lineOf(l, ['t', 'u.v', 'x', 'y'])).toBe(9); // inside an inline table: the table's key line
    expect(lineOf(l, ['arr', 'z'])).toBe(11);
  });
});

describe('layerConfig: typed values and their origins', () => {
  it('the model: -m beats -c beats the profile beats the file beats the default', () => {
    const text = 'model = "file"\n[profiles.p]\nmodel = "prof"\n';
    expect(cfg('').model).toBe('gpt-5.1-codex');
    expect(cfg(text).model).toBe('file');
    expect(cfg(text).originOf(['model'])).toEqual({ layer: 'file', file: PATH, line: 1 });
    expect(cfg(text, { profile: 'p' }).originOf(['model'])).toEqual({ layer: 'profile', file: PATH, line: 3 });
    expect(cfg(text, { profile: 'p', overrides: ['model=cli'] }).model).toBe('cli');
    expect(cfg(text, { overrides: ['model=cli'], model: 'flag' }).model).toBe('flag');
  });

  it('a -c table replaces what the file set below it; a profile table merges', () => {
    const text = '[sandbox_workspace_write]\nnetwork_access = true\nwritable_roots = ["a"]\n[profiles.p.sandbox_workspace_write]\nnetwork_access = false\n';
    const merged = cfg(text, { profile: 'p' });
    expect(merged.originOf(['sandbox_workspace_write', 'writable_roots'])).toEqual({ layer: 'file', file: PATH, line: 3 });
    expect(merged.originOf(['sandbox_workspace_write', 'network_access'])).toMatchObject({ layer: 'profile', line: 5 });
    const replaced = cfg(text, { overrides: ['sandbox_workspace_write={ network_access = false }'] });
    expect(replaced.sandbox.workspaceWrite).toMatchObject({ writableRoots: [], networkAccess: false });
    expect(replaced.originOf(['sandbox_workspace_write', 'writable_roots'])).toBeUndefined(); // gone with the file's table
    expect(replaced.originOf(['sandbox_workspace_write'])).toEqual({ layer: 'override', arg: '-c sandbox_workspace_write={ network_access = false }' });
  });

  it('slices: provider, reasoning, context window, approval, compression', () => {
    const c = cfg(
      'model_provider = "x"\nmodel_reasoning_effort = "high"\nmodel_context_window = 1000\napproval_policy = "on-request"\n[model_providers.x]\nbase_url = "http://h"\nrequest_max_retries = 1\n[rollout_compression]\nmax_run_seconds = 5\n',
    );
    expect(c.provider.id).toBe('x');
    expect(c.provider.providers.get('x')).toEqual({ baseUrl: 'http://h', requestMaxRetries: 1 });
    expect(c.reasoning).toEqual({ effort: 'high', summary: 'auto' });
    expect(cfg('model_reasoning_summary = "none"\n').reasoning).toEqual({});
    expect(c.modelContextWindow).toBe(1000);
    expect(c.approvalPolicy).toBe('on-request');
    expect(c.compression.timeCapMs).toBe(5000);
    expect(c.warnings).toEqual([]);
  });
});

describe('layerConfig: a value of the wrong type is one line naming place and key (CONFIG_TYPE)', () => {
  it.each([
    ['approval_policy = "never"\n\nmodel = 5\n', '/h/config.toml:3: `model` must be a string, got integer 5'],
    ['[model_providers.m]\nbase_url = 7\n', '/h/config.toml:2: `model_providers.m.base_url` must be a string, got integer 7'],
    ['model_context_window = "big"\n', '/h/config.toml:1: `model_context_window` must be an integer ≥ 1, got string "big"'],
    ['[features]\nshell_tool = "yes"\n', '/h/config.toml:2: `features.shell_tool` must be a boolean, got string "yes"'],
    ['[rollout_compression]\nmin_age_days = -1\n', '/h/config.toml:2: `rollout_compression.min_age_days` must be a non-negative number, got integer -1'],
    ['model_providers = { m = { name = 1 } }\n', '/h/config.toml:1: `model_providers.m.name` must be a string, got integer 1'],
    ['sandbox_mode = true\n', '/h/config.toml:1: `sandbox_mode` must be a string, got boolean true'],
  ])('%j', (text, message) => {
    expect(err(() => cfg(text))).toMatchObject({ code: 'CONFIG_TYPE', message });
  });

  it('from -c, the argument is named; from a profile, the profile line', () => {
    expect(err(() => cfg('', { overrides: ['model=5'] }))).toMatchObject({ code: 'CONFIG_TYPE', message: '-c model=5: `model` must be a string, got integer 5' });
    expect(err(() => cfg('[profiles.p]\n\nmodel = 1.5\n', { profile: 'p' })).message).toBe('/h/config.toml:3: `model` must be a string, got float 1.5');
  });

  it('a value a later layer replaces is not checked (only the effective config is typed)', () => {
    expect(cfg('model = 5\n', { overrides: ['model="ok"'] }).model).toBe('ok');
  });
});

describe('layerConfig: unknown keys are one warning, naming each key and where it was set', () => {
  it('top-level keys, keys of owned tables, unknown feature names, -c keys', () => {
    const c = cfg('bogus_key = 1\n[sandbox_workspace_write]\nfoo = 1\n[features]\nzzz_flag = true\n', { overrides: ['cbogus=1'] });
    expect(c.warnings).toEqual([
      'ignoring 4 unrecognized configuration settings (a typo, or a key of another Codex version): ' +
        '`bogus_key` (/h/config.toml:1), `sandbox_workspace_write.foo` (/h/config.toml:3), `features.zzz_flag` (/h/config.toml:5), `cbogus` (-c cbogus=1)',
    ]);
  });

  it('keys 0.169 knows but this program does not use stay silent, and so do their contents', () => {
    const c = cfg('notify = ["x"]\nhide_agent_reasoning = true\n[mcp_servers.a]\ncommand = "x"\n[tui]\nanything = 1\n[model_providers.m]\nbase_url = "http://h"\nsomething_newer = 1\n');
    expect(c.warnings).toEqual([]);
  });
});

describe('origins: property', () => {
  // Small random layers over keys a/b/c: the origin of every leaf of the effective table is the last
  // layer that set that path (a merge layer holding it, or a -c whose path is a prefix of it), and
  // that layer holds the same value there.
  const key = fc.constantFrom('a', 'b', 'c');
  const leaf = fc.integer({ min: 0, max: 99 });
  const table: fc.Arbitrary<ConfigTable> = fc.letrec<{ t: ConfigTable }>((tie) => ({
    t: fc.dictionary(key, fc.oneof({ depthSize: 'small', maxDepth: 2 }, leaf, tie('t')), { maxKeys: 3 }) as fc.Arbitrary<ConfigTable>,
  })).t;
  const override = fc.record({ path: fc.array(key, { minLength: 1, maxLength: 3 }), value: fc.oneof(leaf, fc.dictionary(key, leaf, { minKeys: 1, maxKeys: 2 })) });

  it('each leaf comes from the last layer that set it', () => {
    fc.assert(
      fc.property(table, table, fc.array(override, { maxLength: 3 }), (file, prof, ovs) => {
        const fileTable: ConfigTable = { ...file, profiles: { p: prof } };
        const specs = ovs.map((o) => `${o.path.join('.')}=${typeof o.value === 'number' ? o.value : `{ ${Object.entries(o.value).map(([k, v]) => `${k} = ${v}`).join(', ')} }`}`);
        const c = layerConfig({ codexHome: '/h', configPath: PATH, file: fileTable, fileExists: true, profile: 'p', overrides: specs });
        const layers: Array<{ layer: string; at: (p: string[]) => unknown; touches: (p: string[]) => boolean }> = [
          { layer: 'file', at: (p) => getPath(fileTable, p), touches: (p) => getPath(fileTable, p) !== undefined },
          { layer: 'profile', at: (p) => getPath(prof, p), touches: (p) => getPath(prof, p) !== undefined },
          ...ovs.map((o) => ({
            layer: 'override',
            at: (p: string[]) => (p.length === o.path.length ? o.value : isTable(o.value) ? getPath(o.value, p.slice(o.path.length)) : undefined),
            touches: (p: string[]) => o.path.length <= p.length && o.path.every((s, i) => s === p[i]),
          })),
        ];
        for (const p of leaves(c.raw)) {
          if (p[0] === 'profiles') continue;
          const last = layers.filter((l) => l.touches(p)).pop();
          expect(last, p.join('.')).toBeDefined();
          expect(c.originOf(p)?.layer, p.join('.')).toBe(last!.layer);
          expect(last!.at(p)).toEqual(getPath(c.raw, p));
        }
      }),
      { numRuns: 400 },
    );
  });
});

function leaves(t: ConfigTable, at: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, v] of Object.entries(t)) {
    if (isTable(v) && Object.keys(v).length > 0) out.push(...leaves(v, [...at, k]));
    else out.push([...at, k]);
  }
  return out;
}
