// `codex sandbox --explain --platform macos|windows` through the built binary, and the macOS spawn path
// (tool commands under /usr/bin/sandbox-exec) checked by the argv it would run — on Linux, since
// neither macOS nor Windows is available here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { preparerFor } from '../../core/agent/index.js';
import { MACOS_VERIFIED_NOTE, WINDOWS_VERIFIED_NOTE, runUnderSeatbelt } from '../../core/cli/sandbox-platform.js';
import { resolvePolicy, seatbeltProfile } from '../../sandbox/index.js';
import { CODEX_BIN, run } from '../helpers/bin.js';
import { envFor, tree } from './fixture.js';

const t = tree({ 'ws/.git/HEAD': '', 'home/': '', 'codex-home/': '' });
fs.writeFileSync(
  t.p('codex-home/config.toml'),
  [
    '[permissions.winsplit.filesystem]',
    '":root" = "read"',
    "'C:\\Users\\me\\proj' = \"write\"",
    "'c:/users/ME/proj/docs' = \"read\"",
    "'C:\\Users\\me/proj\\Docs\\gen' = \"write\"",
    '[permissions.wincarve.filesystem]',
    '":root" = "read"',
    '":workspace_roots" = { "." = "write", "vendor" = "read" }',
    '[permissions.macsplit.filesystem]',
    '":root" = "read"',
    `"${t.p('ws')}" = "write"`,
    `"${t.p('ws/secret')}" = "none"`,
    '',
  ].join('\n'),
);
const ENV = { PATH: '/usr/bin:/bin', HOME: t.p('home'), CODEX_HOME: t.p('codex-home') };
const codex = (...args: string[]) => run(CODEX_BIN, ['sandbox', ...args], { env: ENV, cwd: t.p('ws') });

describe('codex sandbox --explain --platform macos', () => {
  it('prints the exact profile, the -D parameters and the sandbox-exec argv, and says how it is verified', () => {
    const r = codex('--explain', '--platform', 'macos', '-s', 'workspace-write', '-C', t.p('ws'), '--', 'git', 'status');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^route: seatbelt\/legacy/m);
    expect(r.stdout).toContain(`  -DWRITABLE_ROOT_0=`);
    expect(r.stdout).toContain(`-D`);
    expect(r.stdout).toMatch(/^argv: \/usr\/bin\/sandbox-exec -p <profile below> .* -- git status$/m);
    expect(r.stdout.trimEnd().endsWith(MACOS_VERIFIED_NOTE)).toBe(true);
    // the printed text is the generator's text for the same policy
    const j = JSON.parse(codex('--explain', '--json', '--platform', 'macos', '--permissions', 'macsplit', '-C', t.p('ws')).stdout);
    const policy = resolvePolicy({ config: { default_permissions: 'macsplit', permissions: { macsplit: { filesystem: { ':root': 'read', [t.p('ws')]: 'write', [t.p('ws/secret')]: 'none' } } } }, cwd: t.p('ws'), env: envFor(t), os: 'macos' });
    const want = seatbeltProfile(policy);
    expect(j.profile).toBe(want.profile);
    expect(j.params).toEqual(want.params);
    expect(j.route).toBe('seatbelt/split');
    expect(j.note).toBe(MACOS_VERIFIED_NOTE);
    expect(r.stdout).toContain(want.profile.split('\n')[0]);
  });

  it('danger-full-access: no profile, no sandbox', () => {
    const r = codex('--explain', '--platform', 'macos', '-s', 'danger-full-access');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^route: none\/unsandboxed/m);
    expect(r.stdout).not.toContain('(deny default)');
  });
});

describe('codex sandbox --explain --platform windows', () => {
  it('legacy workspace-write with a drive-letter cwd: both backends, the roots in Windows syntax', () => {
    const r = codex('--explain', '--platform', 'windows', '-s', 'workspace-write', '-C', 'D:/Work/Proj');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^elevated: elevated\/legacy/m);
    expect(r.stdout).toMatch(/^unelevated \(restricted token\): restricted-token\/legacy/m);
    expect(r.stdout).toContain('  write: D:\\work\\proj');
    expect(r.stdout).toContain('D:\\work\\proj\\.git');
    expect(r.stdout.trimEnd().endsWith(WINDOWS_VERIFIED_NOTE)).toBe(true);
  });

  it('a reopen under a read-only carveout written with mixed C:\\ spellings is refused on both backends', () => {
    const r = codex('--explain', '--platform', 'windows', '--permissions', 'winsplit', '-C', 'C:\\Users\\me\\proj');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^elevated: refused \[SANDBOX_UNSUPPORTED\] — .*reopens a writable path/m);
    expect(r.stdout).toMatch(/^unelevated \(restricted token\): refused \[SANDBOX_UNSUPPORTED\]/m);
  });

  it('read-only carveouts under the legacy roots: the restricted token can enforce it', () => {
    const j = JSON.parse(codex('--explain', '--json', '--platform', 'windows', '--permissions', 'wincarve', '-C', '\\\\srv\\share\\proj').stdout);
    expect(j.unelevated.ok).toBe(true);
    expect(j.unelevated.backend).toBe('restricted-token');
    expect(j.unelevated.roots.readOnlyCarveouts).toContain('\\\\srv\\share\\proj\\vendor');
    expect(j.unelevated.roots.readRoots).toEqual(['(every drive)']);
  });

  it('bad input: one line and status 2', () => {
    for (const args of [
      ['--explain', '--platform', 'windows', '-s', 'read-only'],
      ['--explain', '--platform', 'windows', '-s', 'read-only', '-C', 'C:relative'],
      ['--explain', '--platform', 'beos'],
      ['--platform', 'macos', '--', 'true'],
      ['windows', '--', 'true'],
    ]) {
      const r = codex(...args);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^codex: .* \[[A-Z_]+\]\n$/);
      expect(r.status === 2 || r.status === 1, args.join(' ')).toBe(true);
    }
  });
});

describe('the macOS spawn path (the argv it would run)', () => {
  const policy = resolvePolicy({ config: { sandbox_mode: 'workspace-write', sandbox_workspace_write: { network_access: true } }, cwd: t.p('ws'), env: envFor(t), os: 'macos' });
  const env = { TMPDIR: '/var/folders/ab/cd12/T/', PATH: '/usr/bin:/bin' };

  it('runs the tool command through /usr/bin/sandbox-exec with the profile and -D parameters', () => {
    const prep = preparerFor('darwin')({ policy, cwd: t.p('ws'), command: ['bash', '-lc', 'echo hi'], env });
    expect(prep.file).toBe('/usr/bin/sandbox-exec');
    expect(prep.args[0]).toBe('-p');
    expect(prep.args[1]).toBe(seatbeltProfile(policy, { userCacheDir: '/var/folders/ab/cd12/C' }).profile);
    expect(prep.args).toContain(`-DWRITABLE_ROOT_1=${t.p('ws')}`);
    expect(prep.args).toContain('-DDARWIN_USER_CACHE_DIR_0=/var/folders/ab/cd12/C');
    expect(prep.args.slice(-4)).toEqual(['--', 'bash', '-lc', 'echo hi']);
    expect(prep.cwd).toBe(t.p('ws'));
    expect(prep.env).toEqual({ ...env, CODEX_SANDBOX: 'seatbelt' }); // network_access = true: no CODEX_SANDBOX_NETWORK_DISABLED
  });

  it('the workdir of the call, not the session cwd, is what the command runs in', () => {
    const sub = path.join(t.p('ws'), 'sub');
    const prep = preparerFor('darwin')({ policy, cwd: sub, command: ['true'], env });
    expect(prep.cwd).toBe(sub);
  });

  it('danger-full-access runs the command itself', () => {
    const full = resolvePolicy({ config: { sandbox_mode: 'danger-full-access' }, cwd: t.p('ws'), env: envFor(t), os: 'macos' });
    const prep = preparerFor('darwin')({ policy: full, cwd: t.p('ws'), command: ['bash', '-c', 'x'], env });
    expect([prep.file, ...prep.args]).toEqual(['bash', '-c', 'x']);
  });
});

describe('a Windows host (no enforcement backend here): fail closed', () => {
  it('sandboxed commands are refused; danger-full-access runs the command itself', () => {
    const ro = resolvePolicy({ config: { sandbox_mode: 'read-only' }, cwd: 'C:\\proj', env: {}, os: 'windows' });
    expect(() => preparerFor('win32')({ policy: ro, cwd: 'C:\\proj', command: ['cmd', '/c', 'dir'], env: {} })).toThrow(/SANDBOX_UNSUPPORTED|weaker enforcement/);
    const full = resolvePolicy({ config: { sandbox_mode: 'danger-full-access' }, cwd: 'C:\\proj', env: {}, os: 'windows' });
    const prep = preparerFor('win32')({ policy: full, cwd: 'C:\\proj', command: ['cmd', '/c', 'dir'], env: {} });
    expect([prep.file, ...prep.args]).toEqual(['cmd', '/c', 'dir']);
  });
});

// The macOS run path itself (execa under the hood) with an unrestricted policy, which needs no
// sandbox-exec and so runs here: the status, a signal death, and a program that cannot start.
describe('runUnderSeatbelt (danger-full-access, runnable on Linux)', () => {
  const policy = resolvePolicy({ cwd: t.p('ws'), cli: { sandboxMode: 'danger-full-access' }, env: {} });
  const env = { PATH: process.env.PATH };
  it('exits with the command status, in the policy cwd', async () => {
    const out = t.p('ws/seatbelt-cwd.txt');
    expect(await runUnderSeatbelt(policy, ['sh', '-c', 'pwd > seatbelt-cwd.txt; exit 3'], env)).toBe(3);
    expect(fs.readFileSync(out, 'utf8').trim()).toBe(fs.realpathSync(t.p('ws')));
  });
  it('reports a death by signal as 128 + its number', async () => {
    expect(await runUnderSeatbelt(policy, ['sh', '-c', 'kill -TERM $$'], env)).toBe(143);
  });
  it('a command that is not executable is one error with exit 126 before anything starts', async () => {
    fs.writeFileSync(t.p('ws/not-exec.sh'), '#!/bin/sh\n', { mode: 0o644 });
    await expect(runUnderSeatbelt(policy, [t.p('ws/not-exec.sh')], env)).rejects.toMatchObject({ exitCode: 126 });
  });
});
