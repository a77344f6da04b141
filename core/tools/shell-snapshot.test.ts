// The snapshot with real bash (no sandbox: the preparer runs the command as is).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShellSnapshot, snapshotText } from './shell-snapshot.js';
import type { SpawnPreparer } from './spawn.js';

const direct: SpawnPreparer = (req) => ({ file: req.command[0]!, args: req.command.slice(1), env: req.env, cwd: req.cwd });
const policy = { unrestricted: true, rules: [], network: true, cwd: '/' } as unknown as Parameters<ShellSnapshot['start']>[0]['policy'];

describe('shell snapshot', () => {
  it('keeps only what the script printed between its markers, minus per-command variables', () => {
    expect(snapshotText('no markers')).toBeUndefined();
    const t = snapshotText('Welcome!\n# codex-ts snapshot start\nalias ll=\'ls -l\'\ndeclare -x PWD="/x"\ndeclare -x KEEP="1"\ndeclare -x CODEX_THREAD_ID="t"\ndeclare -x PAGER="less"\n# codex-ts snapshot complete\n')!;
    expect(t).not.toContain('Welcome');
    expect(t).toContain("alias ll='ls -l'");
    expect(t).toContain('declare -x KEEP="1"');
    for (const v of ['PWD', 'CODEX_THREAD_ID', 'PAGER']) expect(t).not.toContain(`declare -x ${v}=`);
    expect(t.trimEnd().endsWith('true')).toBe(true);
  });

  it("restores the profile's variables and functions; an unreadable snapshot falls back to the login shell", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-snap-'));
    const home = path.join(root, 'home');
    fs.mkdirSync(home);
    fs.writeFileSync(path.join(home, '.bash_profile'), 'echo noise\nexport FROM_PROFILE=yes\ngreet() { echo "hello $1"; }\n');
    const env = { PATH: process.env.PATH, HOME: home };
    const snap = new ShellSnapshot(path.join(root, 'snaps'), 'thread-1');
    expect(snap.argv('/bin/bash', 'true')).toBeUndefined();
    snap.start({ shell: '/bin/bash', cwd: root, env, policy, prepare: direct });
    await snap.ready(10_000);
    const argv = snap.argv('/bin/bash', 'echo "v=$FROM_PROFILE"; greet you')!;
    expect(argv.slice(0, 2)).toEqual(['/bin/bash', '-c']);
    const run = () => spawnSync(argv[0]!, argv.slice(1), { env, encoding: 'utf8' }).stdout;
    expect(run()).toBe('v=yes\nhello you\n');
    // Unreadable (as under a sandbox that hides CODEX_HOME): the login shell runs instead, same result.
    const file = path.join(root, 'snaps', 'thread-1.sh');
    fs.renameSync(file, file + '.hidden');
    expect(run()).toBe('noise\nv=yes\nhello you\n');
    fs.renameSync(file + '.hidden', file);
    snap.remove();
    expect(fs.existsSync(file)).toBe(false);
    expect(snap.argv('/bin/bash', 'true')).toBeUndefined();
    // Only bash is snapshotted.
    expect(snap.argv('/bin/zsh', 'true')).toBeUndefined();
    fs.rmSync(root, { recursive: true, force: true });
  });
});
