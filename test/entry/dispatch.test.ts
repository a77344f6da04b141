import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleFor, chooseProgram } from '../../entry/dispatch.js';
import { APPLY_PATCH_BIN, CODEX_BIN, DIST, SANDBOX_BIN, binsForOthers, codex, run, tempDir } from '../helpers/bin.js';

describe('dispatch table (pure)', () => {
  it.each([
    ['/x/codex-linux-sandbox', ['--', 'true'], 'sandbox-helper', ['--', 'true']],
    ['codex-linux-sandbox', ['--codex-run-as-apply-patch', 'p'], 'sandbox-helper', ['--codex-run-as-apply-patch', 'p']],
    ['/usr/bin/apply_patch', ['P'], 'apply-patch', ['P']],
    ['applypatch', [], 'apply-patch', []],
    ['/x/codex', ['--codex-run-as-apply-patch', 'P'], 'apply-patch', ['P']],
    ['/x/codex', ['exec', '--codex-run-as-apply-patch'], 'codex', ['exec', '--codex-run-as-apply-patch']],
    ['/x/anything', ['--version'], 'codex', ['--version']],
  ])('%s %j → %s', (argv0, args, program, rest) => {
    expect(chooseProgram(argv0, args)).toEqual({ program, args: rest });
  });
});

describe('embedded bundle per program (pure)', () => {
  it.each([
    ['/x/apply_patch', ['P'], 'applyPatch'],
    ['/x/codex', ['--codex-run-as-apply-patch', 'P'], 'applyPatch'],
    ['/x/codex-linux-sandbox', ['--', 'true'], 'sandbox'],
    ['/x/codex', ['sandbox', '--', 'true'], 'sandbox'],
    // global flags first: the main bundle, which has the same sandboxMain
    ['/x/codex', ['-c', 'k=v', 'sandbox', '--', 'true'], 'codex'],
    ['/x/codex', ['exec', 'sandbox'], 'codex'],
    ['/x/codex', [], 'codex'],
  ])('%s %j → %s', (argv0, args, bundle) => {
    const { program, args: rest } = chooseProgram(argv0, args);
    expect(bundleFor(program, rest)).toBe(bundle);
  });

  it('`codex -c k=v sandbox` (main bundle) and `codex sandbox -c k=v` (sandbox bundle) run the same command', () => {
    const cwd = tempDir('codex-bundle-');
    const a = codex(['-c', 'sandbox_mode="workspace-write"', 'sandbox', '--', 'sh', '-c', 'echo $CODEX_SANDBOX; : > a.txt'], { cwd });
    const b = codex(['sandbox', '-c', 'sandbox_mode="workspace-write"', '--', 'sh', '-c', 'echo $CODEX_SANDBOX; : > b.txt'], { cwd });
    expect([a.status, a.stdout, b.status, b.stdout]).toEqual([0, 'seccomp\n', 0, 'seccomp\n']);
    expect(fs.existsSync(path.join(cwd, 'a.txt')) && fs.existsSync(path.join(cwd, 'b.txt'))).toBe(true);
  });
});

describe('the built executable', () => {
  it('has the three programs as symlinks to one file', () => {
    for (const name of ['codex-linux-sandbox', 'apply_patch', 'applypatch']) {
      expect(fs.readlinkSync(path.join(DIST, name))).toBe('codex');
    }
  });

  it('codex --version and --help', () => {
    const v = codex(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/^codex-ts \d+\.\d+\.\d+ \(compatible with codex-cli 0\.169\.0\)\n$/);
    const h = codex(['--help']);
    expect(h.status).toBe(0);
    for (const cmd of ['exec', 'sandbox', 'sessions', 'features']) expect(h.stdout).toContain(`  ${cmd}`);
    expect(h.stdout).not.toContain('debug');
  });

  it.each([
    [['frobnicate'], /^codex: unknown command 'frobnicate' \(see `codex --help`\) \[UNKNOWN_COMMAND\]\n$/],
    [['--frobnicate'], /^codex: unknown flag '--frobnicate' \[UNKNOWN_FLAG\]\n$/],
    [['exce'], /did you mean 'exec'\?.*\[UNKNOWN_COMMAND\]/],
    [['-c'], /needs a value \[USAGE\]/],
  ])('bad usage %j → one line, exit 2', (args, re) => {
    const r = codex(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reaches apply_patch through both symlinks and through argv[1]', () => {
    // Whatever apply_patch answers to a usage error, all three forms answer the same.
    const forms = [
      run(APPLY_PATCH_BIN, ['a', 'b']),
      run(path.join(DIST, 'applypatch'), ['a', 'b']),
      run(CODEX_BIN, ['--codex-run-as-apply-patch', 'a', 'b']),
    ];
    for (const f of forms) {
      expect(f.status).toBe(2);
      expect(f.stderr).toMatch(/^apply_patch: .*\[[A-Z_]+\]\n$/);
    }
  });

  it('reaches the sandbox helper through the codex-linux-sandbox symlink', () => {
    const r = run(SANDBOX_BIN, []);
    expect(r.stderr).toMatch(/^codex-linux-sandbox: .*\[[A-Z_]+\]\n$/);
    expect(r.status).not.toBe(0);
  });

  it('a copy of the binary under another name dispatches on that name', () => {
    const d = tempDir();
    const copy = path.join(d, 'apply_patch');
    fs.copyFileSync(CODEX_BIN, copy);
    fs.chmodSync(copy, 0o755);
    expect(run(copy, ['x', 'y']).stderr).toMatch(/^apply_patch: /);
  });

  it('ignores NODE_OPTIONS (a --require hook or a bad flag)', () => {
    const d = tempDir();
    const hook = path.join(d, 'hook.js');
    fs.writeFileSync(hook, 'process.stdout.write("HOOKED\\n")');
    for (const opt of [`--require ${hook}`, '--no-such-node-flag', '--max-old-space-size=bogus']) {
      const r = codex(['--version'], { env: { ...process.env, NODE_OPTIONS: opt } });
      expect(r.status).toBe(0);
      expect(r.stdout).not.toContain('HOOKED');
      expect(r.stderr).toBe('');
    }
  });

  it('works from a cwd that is unreadable or deleted', () => {
    const d = tempDir();
    const gone = path.join(d, 'gone');
    fs.mkdirSync(gone);
    const r1 = run('/bin/sh', ['-c', `cd '${gone}' && rmdir '${gone}' && exec '${CODEX_BIN}' --version`]);
    expect(r1.status).toBe(0);
    const locked = path.join(d, 'locked');
    fs.mkdirSync(locked, { mode: 0o000 });
    const r2 = run('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/bin/sh', '-c', `cd '${locked}' 2>/dev/null; '${binsForOthers().codex}' --version`], {
      env: { ...process.env, HOME: '/nonexistent' },
    });
    if (process.getuid?.() === 0) {
      expect(r2.stderr).toBe('');
      expect(r2.status).toBe(0);
    }
  });
});
