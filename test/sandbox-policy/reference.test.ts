// Differential test against the real Codex 0.169: the same config.toml must mean the same policy.
// 0.169 prints its compiled permission profile in `codex debug prompt-input` (<permission_profile>);
// we expand its entries the same way and compare tables, leaving out the automatic protections
// (0.169 applies those at enforcement time, we put them in the table) and its runtime helper roots.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { layerConfig } from '../../core/config/index.js';
import { accessDiff, normalizeRules, resolvePolicy, type Access, type FsRule, type ResolvedPolicy } from '../../sandbox/index.js';
import { REFERENCE_MISSING_REASON, referenceCodex, run } from '../helpers/bin.js';
import { envFor, tree, type Tree } from './fixture.js';

const REF = referenceCodex();

interface RefPolicy {
  ok: boolean;
  error: string;
  unrestricted: boolean;
  network: boolean;
  entries: Array<{ access: Access; kind: 'path' | 'special' | 'glob'; value: string }>;
}

function unxml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function referencePolicy(t: Tree, configToml: string, args: string[] = []): RefPolicy {
  const home = t.p('codex-home');
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(path.join(home, 'config.toml'), configToml);
  const r = run(REF!, ['debug', 'prompt-input', ...args], { cwd: t.p('ws'), env: { PATH: process.env.PATH, HOME: t.p('home'), CODEX_HOME: home }, timeout: 30_000 });
  if (r.status !== 0) return { ok: false, error: r.stderr, unrestricted: false, network: false, entries: [] };
  const text = JSON.stringify(JSON.parse(r.stdout));
  const prof = /<permission_profile[^>]*>(.*?)<\/permission_profile>/.exec(JSON.parse(`"${/"([^"\\]*(?:\\.[^"\\]*)*<permission_profile[^"\\]*(?:\\.[^"\\]*)*)"/.exec(text)![1]}"`))![1]!;
  const entries: RefPolicy['entries'] = [];
  for (const m of prof.matchAll(/<entry access="(\w+)"[^>]*>\s*<(path|special|glob)>([^<]*)<\/\2>\s*<\/entry>/g)) {
    entries.push({ access: m[1] === 'deny' ? 'none' : (m[1] as Access), kind: m[2] as 'path' | 'special' | 'glob', value: unxml(m[3]!) });
  }
  return {
    ok: true,
    error: '',
    unrestricted: /<file_system type="unrestricted"/.test(prof),
    network: /Network access is enabled/.test(text),
    entries,
  };
}

const PROTECTED_NAMES = new Set(['.git', '.agents', '.codex', '.aws']);

/** 0.169's entries as a table (specials expanded like ours; protections and runtime roots left out). */
function refTable(ref: RefPolicy, t: Tree): FsRule[] {
  const out: FsRule[] = [];
  for (const e of ref.entries) {
    if (e.kind === 'glob') continue;
    if (e.kind === 'special') {
      if (e.value === ':root') out.push({ path: '/', access: e.access });
      else if (e.value === ':slash_tmp') out.push({ path: '/tmp', access: e.access });
      continue;
    }
    if (e.value.includes('/tmp/arg0') || e.value.includes('/codex-arg0')) continue;
    if (PROTECTED_NAMES.has(path.basename(e.value))) continue;
    out.push({ path: e.value.replace(t.root, t.root), access: e.access });
  }
  return normalizeRules(out);
}

function ourTable(p: ResolvedPolicy): FsRule[] {
  const prot = new Set(p.detail.protectedPaths.map((x) => x.path));
  return p.rules.filter((r) => !prot.has(r.path));
}

function ours(t: Tree, config: Record<string, unknown>): ResolvedPolicy {
  // relative writable_roots in config.toml are relative to the file's directory (CODEX_HOME)
  return resolvePolicy({ config, cwd: t.p('ws'), env: envFor(t), os: 'linux', relativeBase: t.p('codex-home') });
}

const CASES: Array<[string, string]> = [
  ['read-only', 'sandbox_mode = "read-only"\n'],
  ['no config: read-only', ''],
  ['workspace-write', 'sandbox_mode = "workspace-write"\n'],
  [
    'workspace-write with roots, flags and network',
    'sandbox_mode = "workspace-write"\n[sandbox_workspace_write]\nwritable_roots = ["ROOT/extra", "rel"]\nnetwork_access = true\nexclude_slash_tmp = true\nexclude_tmpdir_env_var = true\n',
  ],
  [
    'spec profile with reopened child',
    'default_permissions = "split"\n[permissions.split.filesystem]\n":root" = "read"\n"ROOT/ws" = "write"\n"ROOT/ws/a" = "none"\n"ROOT/ws/a/b" = "write"\n',
  ],
  [
    'extends chain, scoped merge, ~/ path, trailing /**, network',
    'default_permissions = "child"\n[permissions.base.filesystem]\n":root" = "read"\n"ROOT/extra" = "write"\n[permissions.base.network]\nenabled = true\n[permissions.child]\nextends = "base"\n[permissions.child.filesystem]\n"ROOT/extra" = "read"\n"~/cfg" = "write"\n"ROOT/data/**" = "write"\n":workspace_roots" = { "." = "write", "private" = "none" }\n',
  ],
  [
    'extends :workspace with a private carveout',
    'default_permissions = "w"\n[permissions.w]\nextends = ":workspace"\n[permissions.w.filesystem]\n":workspace_roots" = { "private" = "none" }\n',
  ],
  [
    'default_permissions beats sandbox_mode in one file',
    'sandbox_mode = "read-only"\ndefault_permissions = "p"\n[permissions.p.filesystem]\n":root" = "read"\n"ROOT/ws" = "write"\n',
  ],
  [
    ':workspace built-in ignores [sandbox_workspace_write]',
    'default_permissions = ":workspace"\n[sandbox_workspace_write]\nwritable_roots = ["ROOT/extra"]\nnetwork_access = true\n',
  ],
  ['danger-full-access', 'sandbox_mode = "danger-full-access"\n'],
  [
    'none globs, "deny" spelling, lexical .., scoped absolute base, unknown :token',
    'default_permissions = "g"\n[permissions.g.filesystem]\n":root" = "read"\n":workspace_roots" = { "." = "write", "**/*.env" = "none" }\n"ROOT/data" = { "." = "write", "x" = "deny" }\n"ROOT/extra/../other" = "write"\n":future" = "write"\nglob_scan_max_depth = 2\n',
  ],
];

const ERRORS: Array<[string, string]> = [
  ['unknown sandbox_mode', 'sandbox_mode = "bogus"\n'],
  ['undefined profile', 'default_permissions = "zz"\n[permissions.p.filesystem]\n":root" = "read"\n'],
  ['unknown access', 'default_permissions = "p"\n[permissions.p.filesystem]\n":root" = "rw"\n'],
  ['relative path', 'default_permissions = "p"\n[permissions.p.filesystem]\n"rel/x" = "write"\n'],
  ['escaping subpath', 'default_permissions = "p"\n[permissions.p.filesystem]\n":workspace_roots" = { "../x" = "write" }\n'],
  ['extends cycle', 'default_permissions = "p"\n[permissions.p]\nextends = "q"\n[permissions.q]\nextends = "p"\n'],
  ['unknown built-in', 'default_permissions = ":bogus"\n'],
  ['glob with write access', 'default_permissions = "p"\n[permissions.p.filesystem]\n":workspace_roots" = { "**/*.env" = "write" }\n'],
  ['nested entries under :tmpdir', 'default_permissions = "p"\n[permissions.p.filesystem]\n":tmpdir" = { "x" = "write" }\n'],
  ['extends :danger-full-access', 'default_permissions = "p"\n[permissions.p]\nextends = ":danger-full-access"\n'],
  ['glob_scan_max_depth = 0', 'default_permissions = "p"\n[permissions.p.filesystem]\n":root" = "read"\nglob_scan_max_depth = 0\n'],
];

describe.skipIf(!REF)(`same config, same policy as Codex 0.169${REF ? '' : ` (skipped: ${REFERENCE_MISSING_REASON})`}`, () => {
  // The same config.toml text goes to both: ours through smol-toml, as the config loader does.
  it.each(CASES)('%s', (_name, toml) => {
    const t = tree({ 'ws/a/b/': '', 'ws/private/': '', 'ws/rel/': '', 'extra/': '', 'data/': '', 'home/cfg/': '' });
    const text = toml.split('ROOT').join(t.root);
    const ref = referencePolicy(t, text);
    expect(ref.error).toBe('');
    const p = ours(t, parseToml(text));
    expect(p.unrestricted).toBe(ref.unrestricted);
    expect(p.network).toBe(ref.network);
    if (p.unrestricted) return;
    expect(accessDiff(ourTable(p), refTable(ref, t))).toEqual([]);
    const refGlobs = ref.entries.filter((e) => e.kind === 'glob').map((e) => e.value);
    expect([...p.detail.denyGlobs].sort()).toEqual(refGlobs.sort());
  });

  it.each(ERRORS)('both reject: %s', (_name, toml) => {
    const t = tree({ 'ws/': '' });
    const ref = referencePolicy(t, toml);
    expect(ref.ok).toBe(false);
    expect(() => ours(t, parseToml(toml))).toThrow(/./);
  });

  it('relative writable_roots: from the file against its directory, from -c (even the same list) against the cwd', () => {
    const t = tree({ 'ws/': '', 'ws/rel/': '', 'codex-home/rel/': '' });
    const text = 'sandbox_mode = "workspace-write"\n[sandbox_workspace_write]\nwritable_roots = ["rel"]\n';
    const home = t.p('codex-home');
    for (const overrides of [[], ['sandbox_workspace_write.writable_roots=["rel"]']]) {
      const ref = referencePolicy(t, text, overrides.flatMap((o) => ['-c', o]));
      expect(ref.error).toBe('');
      const { sandbox } = layerConfig({ codexHome: home, configPath: path.join(home, 'config.toml'), file: parseToml(text), text, fileExists: true, overrides });
      const p = resolvePolicy({ sandbox, cwd: t.p('ws'), env: envFor(t), os: 'linux' });
      expect(accessDiff(ourTable(p), refTable(ref, t)), overrides.join(' ')).toEqual([]);
      expect(p.detail.legacy).toMatchObject({ writableRoots: [overrides.length ? t.p('ws/rel') : t.p('codex-home/rel')] });
    }
  });

  // The layer counts, not the value: a -c sandbox_mode equal to the file's own still beats the file's default_permissions.
  it.each([
    ['-c sandbox_mode over the file’s default_permissions (layers)', 'default_permissions = "p"\n[permissions.p.filesystem]\n":root" = "write"\n'],
    ['the same when -c repeats the file’s own sandbox_mode', 'default_permissions = "p"\nsandbox_mode = "read-only"\n[permissions.p.filesystem]\n":root" = "write"\n'],
  ])('%s', (_name, text) => {
    const t = tree({ 'ws/': '' });
    const ref = referencePolicy(t, text, ['-c', 'sandbox_mode="read-only"']);
    expect(ref.error).toBe('');
    const home = t.p('codex-home');
    const { sandbox } = layerConfig({ codexHome: home, configPath: path.join(home, 'config.toml'), file: parseToml(text), text, fileExists: true, overrides: ['sandbox_mode="read-only"'] });
    const p = resolvePolicy({ sandbox, cwd: t.p('ws'), env: envFor(t), os: 'linux' });
    expect(accessDiff(ourTable(p), refTable(ref, t))).toEqual([]);
    expect(p.detail.source).toMatchObject({ kind: 'legacy', mode: 'read-only' });
  });
});
