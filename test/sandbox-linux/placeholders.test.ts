// A placeholder (empty read-only dir bound over a missing `.codex`) is shared by every sandbox in a
// folder, across processes: the last user removes it, and no user removes it under another.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODEX_BIN, binsForOthers, codex, run, tempDir } from '../helpers/bin.js';

function start(cwd: string, script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(CODEX_BIN, ['sandbox', '-s', 'workspace-write', '--', 'sh', '-c', script], { cwd, env });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('close', (code) => resolve({ code, out }));
  });
}

describe('placeholders of missing protected paths', () => {
  const env = { ...process.env, CODEX_HOME: tempDir('codex-home-ph-'), CODEX_TS_CACHE_DIR: tempDir('codex-cache-ph-') };

  it('codex sandbox leaves no .codex behind in the user folder', () => {
    const ws = fs.realpathSync(tempDir('codex-ws-ph-'));
    const r = codex(['sandbox', '-s', 'workspace-write', '--', 'sh', '-c', 'mkdir .codex/x 2>/dev/null && echo created || echo protected'], { cwd: ws, env });
    expect(r.stdout).toBe('protected\n');
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(ws, '.codex'))).toBe(false);
  });

  it('a sandbox ending in another process never removes the placeholder under a running one', async () => {
    const ws = fs.realpathSync(tempDir('codex-ws-ph-'));
    const marker = path.join(ws, 'started');
    const long = start(ws, `: > started; while [ ! -e done ]; do sleep 0.05; done; mkdir .codex/x 2>/dev/null && echo created || echo protected`, env);
    for (let i = 0; i < 200 && !fs.existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
    expect(fs.existsSync(marker)).toBe(true);
    const short = await start(ws, 'true', env);
    expect(short.code).toBe(0);
    expect(fs.existsSync(path.join(ws, '.codex'))).toBe(true); // still in use by the long one
    fs.writeFileSync(path.join(ws, 'done'), '');
    const r = await long;
    expect(r.out).toBe('protected\n');
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(ws, '.codex'))).toBe(false); // the last user removed it
  });

  it('a run killed with SIGKILL leaves its placeholders; the next start removes them (and only those)', async () => {
    const ws = fs.realpathSync(tempDir('codex-ws-ph-'));
    const marker = path.join(ws, 'started');
    const c = spawn(CODEX_BIN, ['sandbox', '-s', 'workspace-write', '--', 'sh', '-c', ': > started; sleep 30'], { cwd: ws, env });
    for (let i = 0; i < 200 && !fs.existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
    expect(fs.existsSync(marker)).toBe(true);
    const closed = new Promise((r) => c.on('close', r));
    c.kill('SIGKILL');
    await closed;
    for (let i = 0; i < 100 && fs.existsSync(path.join(ws, '.git')) && hasSandboxChild(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(['.git', '.codex', '.agents'].filter((n) => fs.existsSync(path.join(ws, n)))).toEqual(['.git', '.codex', '.agents']);
    // the user's own empty folder elsewhere is not a claim: it stays
    const other = fs.realpathSync(tempDir('codex-ws-ph-'));
    fs.mkdirSync(path.join(other, '.codex'));
    const next = codex(['sandbox', '-s', 'workspace-write', '--', 'true'], { cwd: other, env });
    expect(next.status).toBe(0);
    expect(['.git', '.codex', '.agents'].filter((n) => fs.existsSync(path.join(ws, n)))).toEqual([]);
    expect(fs.existsSync(path.join(other, '.codex'))).toBe(true);
    expect(fs.readdirSync(other)).toEqual(['.codex']);
  });

  it('the sweep visits claim marks, cleared with their claims; a cache from before the marks is swept once, every lock file', () => {
    // After the runs above (a killed one included), no claim is left marked.
    const marks = path.join(env.CODEX_TS_CACHE_DIR!, 'placeholder-claims');
    expect(fs.readdirSync(marks).filter((n) => n.endsWith('.lock'))).toEqual([]);
    expect(fs.existsSync(path.join(marks, '.legacy-swept'))).toBe(true);
    // An older cache: a crashed run's claim in its lock file, no marks folder.
    const cache = tempDir('codex-cache-legacy-');
    const ws = fs.realpathSync(tempDir('codex-ws-legacy-'));
    const left = path.join(ws, '.codex');
    fs.mkdirSync(left);
    fs.mkdirSync(path.join(cache, 'placeholder-locks'));
    const name = createHash('sha256').update(left).digest('hex').slice(0, 32) + '.lock';
    fs.writeFileSync(path.join(cache, 'placeholder-locks', name), `${left}\n`);
    const other = fs.realpathSync(tempDir('codex-ws-legacy-'));
    const r = codex(['sandbox', '-s', 'workspace-write', '--', 'true'], { cwd: other, env: { ...env, CODEX_TS_CACHE_DIR: cache } });
    expect(r.status).toBe(0);
    expect(fs.existsSync(left)).toBe(false);
    expect(fs.readFileSync(path.join(cache, 'placeholder-locks', name), 'utf8')).toBe('');
    expect(fs.existsSync(path.join(cache, 'placeholder-claims', '.legacy-swept'))).toBe(true);
  });

  it('a cwd the user cannot write needs no placeholder: the command runs, nothing is created (0.169: `Can\'t mkdir <cwd>/.git`)', () => {
    const ws = fs.realpathSync(tempDir('codex-ws-ro-'));
    fs.chmodSync(ws, 0o755); // root's; nobody cannot write here, so neither can nobody's sandboxed command
    const cache = tempDir('codex-cache-nobody-');
    fs.chownSync(cache, 65534, 65534);
    const home = tempDir('codex-home-nobody-');
    fs.chownSync(home, 65534, 65534);
    for (let d = path.dirname(ws); d !== '/'; d = path.dirname(d)) if ((fs.statSync(d).mode & 0o001) === 0) return expect.fail(`${d} is not searchable by nobody`);
    const r = run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', binsForOthers().codex, 'sandbox', '-s', 'workspace-write', '--', 'sh', '-c', 'echo ran; mkdir .git 2>/dev/null && echo made-git; exit 0'], {
      cwd: ws,
      env: { PATH: '/usr/bin:/bin', HOME: home, CODEX_HOME: home, CODEX_TS_CACHE_DIR: cache },
    });
    expect(r.stdout, r.stderr).toBe('ran\n');
    expect(r.stderr.split('\n').filter((l) => l && !l.includes('warning:'))).toEqual([]);
    expect(r.status).toBe(0);
    expect(fs.readdirSync(ws)).toEqual([]);
  });
});

/** Whether a sandbox started by this test process is still winding down (bwrap dies with its parent). */
function hasSandboxChild(): boolean {
  try {
    return fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim() !== '';
  } catch {
    return false;
  }
}
