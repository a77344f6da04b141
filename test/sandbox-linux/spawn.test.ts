// The core's spawn path (what tool calls use): prepareSandboxedSpawn → child_process.spawn.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planSandboxedSpawn, prepareSandboxedSpawn, resolvePolicy, sandboxStartupWarnings } from '../../sandbox/index.js';
import { BWRAP, CODEX_BIN, tempDir } from '../helpers/bin.js';

function runSpawn(s: ReturnType<typeof prepareSandboxedSpawn>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(s.file, s.args, { argv0: s.argv0, env: s.env, stdio: ['ignore', 'pipe', 'pipe', ...s.extraFds] });
    s.dispose();
    let out = '';
    let err = '';
    child.stdout!.on('data', (b: Buffer) => (out += b));
    child.stderr!.on('data', (b: Buffer) => (err += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('prepareSandboxedSpawn', () => {
  const ws = fs.realpathSync(tempDir('codex-sbx-spawn-'));
  fs.mkdirSync(path.join(ws, '.git'));
  const env = { PATH: '/usr/bin:/bin', HOME: ws, CODEX_TS_CACHE_DIR: path.join(ws, '.cache-x') };
  const script = 'touch ok && echo wrote; touch .git/x 2>/dev/null || echo git-denied; touch /etc/x 2>/dev/null || echo etc-denied';

  it('bubblewrap route: bwrap is started directly, seccomp program passed as fd 3', async () => {
    const policy = resolvePolicy({ cwd: ws, cli: { sandboxMode: 'workspace-write' }, env });
    const existed = (ps: readonly string[]) => ps.filter((p) => fs.existsSync(p));
    const planned = planSandboxedSpawn({ policy, command: ['sh', '-c', script], env, execPath: CODEX_BIN }).placeholders;
    const before = existed(planned);
    const s = prepareSandboxedSpawn({ policy, command: ['sh', '-c', script], env, execPath: CODEX_BIN });
    expect(s.route.kind).toBe('bwrap');
    expect(s.file).toBe(BWRAP);
    expect(s.args.slice(s.args.indexOf('--seccomp'), s.args.indexOf('--seccomp') + 2)).toEqual(['--seccomp', '3']);
    expect(s.extraFds).toHaveLength(1);
    const r = await runSpawn(s);
    s.release();
    expect(r).toEqual({ code: 0, out: 'wrote\ngit-denied\netc-denied\n', err: '' });
    // The placeholders made for the run (.codex/.agents here, and under /tmp) are gone again.
    expect(planned.length).toBeGreaterThan(0);
    expect(existed(planned)).toEqual(before);
    expect(sandboxStartupWarnings({ policy, env })).toEqual([]);
  });

  it('Landlock route (the fallback; forced here): this executable as codex-linux-sandbox with the policy as JSON', async () => {
    const policy = resolvePolicy({ cwd: ws, cli: { sandboxMode: 'read-only' }, env });
    const s = prepareSandboxedSpawn({ policy, command: ['sh', '-c', 'touch nope 2>/dev/null || echo denied; cat /etc/hostname >/dev/null && echo read'], env, execPath: CODEX_BIN, route: 'landlock' });
    expect(s.route.kind).toBe('landlock');
    expect(s).toMatchObject({ file: CODEX_BIN, argv0: 'codex-linux-sandbox', extraFds: [], env: { CODEX_SANDBOX: 'seccomp', CODEX_SANDBOX_NETWORK_DISABLED: '1' } });
    expect(await runSpawn(s)).toEqual({ code: 0, out: 'denied\nread\n', err: '' });
  });

  it('a missing or non-executable program is refused up front (127 / 126)', () => {
    const policy = resolvePolicy({ cwd: ws, cli: { sandboxMode: 'workspace-write' }, env });
    expect(() => prepareSandboxedSpawn({ policy, command: ['no-such-program-xyz'], env, execPath: CODEX_BIN })).toThrow(expect.objectContaining({ code: 'EXEC_NOT_FOUND', exitCode: 127 }));
    expect(() => prepareSandboxedSpawn({ policy, command: ['/etc/passwd'], env, execPath: CODEX_BIN })).toThrow(expect.objectContaining({ code: 'EXEC_NOT_EXECUTABLE', exitCode: 126 }));
  });

  it('a placeholder shared by parallel commands is removed only after the last one', async () => {
    const plain = fs.realpathSync(tempDir('codex-sbx-ph-'));
    const policy = resolvePolicy({ cwd: plain, cli: { sandboxMode: 'workspace-write' }, env });
    const a = prepareSandboxedSpawn({ policy, command: ['sh', '-c', 'mkdir .codex/x 2>/dev/null || echo protected'], env, execPath: CODEX_BIN });
    const b = prepareSandboxedSpawn({ policy, command: ['sh', '-c', 'mkdir .codex/x 2>/dev/null || echo protected'], env, execPath: CODEX_BIN });
    const ph = path.join(plain, '.codex');
    expect(a.placeholders).toContain(ph);
    expect((await runSpawn(a)).out).toBe('protected\n');
    a.release();
    expect(fs.existsSync(ph)).toBe(true); // b still uses it
    expect((await runSpawn(b)).out).toBe('protected\n');
    b.release();
    expect(fs.existsSync(ph)).toBe(false);
  });

  it('danger-full-access: the command itself', () => {
    const policy = resolvePolicy({ cwd: ws, cli: { sandboxMode: 'danger-full-access' }, env });
    const s = prepareSandboxedSpawn({ policy, command: ['ls', '-l'], env });
    expect(s).toMatchObject({ file: 'ls', args: ['-l'], extraFds: [] });
    expect(s.env.CODEX_SANDBOX).toBeUndefined();
  });
});

// One `codex sandbox` searches for bwrap once: a plan carries its discovery, and the warnings and
// the spawn take it from there instead of searching again (shown with a PATH where a new search
// would find nothing).
describe('one bwrap discovery per run', () => {
  const ws = fs.realpathSync(tempDir('codex-sbx-once-'));
  const env = { PATH: '/usr/bin:/bin', HOME: ws, CODEX_TS_CACHE_DIR: path.join(ws, '.cache-x') };
  const policy = resolvePolicy({ cwd: ws, cli: { sandboxMode: 'read-only' }, env });

  it('the plan carries its search; the spawn and the warnings reuse it', async () => {
    const plan = planSandboxedSpawn({ policy, command: ['true'], env, execPath: CODEX_BIN, route: 'bwrap' });
    expect(plan.route.kind).toBe('bwrap');
    expect(plan.search?.found?.path).toBe(fs.realpathSync(BWRAP));
    const noBwrapHere = { ...env, PATH: ws };
    // Without the search: refused, nothing found on that PATH (and no codex-resources beside /bin/true).
    expect(planSandboxedSpawn({ policy, command: ['true'], env: noBwrapHere, execPath: '/bin/true', route: 'bwrap' }).route.kind).toBe('refuse');
    const s = prepareSandboxedSpawn({ policy, command: ['/bin/echo', 'once'], env: noBwrapHere, execPath: '/bin/true', route: 'bwrap', search: plan.search });
    expect(s.file).toBe(plan.search?.found?.path);
    const r = await runSpawn(s);
    s.release();
    expect([r.code, r.out]).toEqual([0, 'once\n']);
    // The warnings speak of the plan's bwrap (here said to be the bundled one), not of a new search.
    const bundled = { path: plan.search!.found!.path, source: 'bundled' as const };
    const told = { ...plan, route: { ...plan.route, bwrap: bundled } as typeof plan.route, search: { found: bundled, skipped: [] } };
    expect(sandboxStartupWarnings({ policy, env: noBwrapHere, execPath: '/bin/true', route: 'bwrap', plan: told }).map((w) => w.code)).toEqual(['bwrap-bundled']);
  });

  it('a plan passed in is the one spawned (codex sandbox plans once, for its warnings and the run)', async () => {
    const req = { policy, command: ['/bin/echo', 'planned'], env, execPath: CODEX_BIN, route: 'bwrap' as const };
    const plan = planSandboxedSpawn(req);
    // Its argv, marked: prepareSandboxedSpawn must take it as it is rather than plan again.
    const marked = { ...plan, args: plan.args.map((a) => (a === 'planned' ? 'from-the-plan' : a)) };
    const s = prepareSandboxedSpawn({ ...req, plan: marked });
    const r = await runSpawn(s);
    s.release();
    expect([r.code, r.out]).toEqual([0, 'from-the-plan\n']);
  });
});
