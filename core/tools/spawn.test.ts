// runPrepared with real processes (no sandbox: the preparer is the identity): exit status, the
// head + tail output budget, stdin, extra fds, a timeout and an abort ending the whole process
// group (a background grandchild included), and a program that cannot start.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPrepared, type PreparedSpawn } from './spawn.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-ts-spawn-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function sh(script: string, extra: Partial<PreparedSpawn> = {}): PreparedSpawn {
  return { file: '/bin/sh', args: ['-c', script], env: { PATH: process.env.PATH }, cwd: dir, ...extra };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (up to 2 s) for a pid file written by a background job, then for that pid to be gone. */
async function gone(pidFile: string): Promise<boolean> {
  for (let i = 0; i < 200 && !fs.existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 10));
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 10));
  return !alive(pid);
}

describe('runPrepared', () => {
  it('returns the exit status and the interleaved output, stdout and stderr apart', async () => {
    const r = await runPrepared({ prepared: sh('echo out; echo err >&2; exit 3') });
    expect(r).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false, interrupted: false, droppedBytes: 0 });
    expect(r.output).toContain('out\n');
    expect(r.output).toContain('err\n');
    expect(r.spawnError).toBeUndefined();
  });

  it('keeps head and tail within the budget and counts what it cut', async () => {
    const r = await runPrepared({ prepared: sh('echo HEAD; head -c 100000 /dev/zero | tr "\\0" x; echo; echo TAIL'), maxOutputBytes: 1000 });
    expect(r.exitCode).toBe(0);
    expect(r.output.startsWith('HEAD\n')).toBe(true);
    expect(r.output.trimEnd().endsWith('TAIL')).toBe(true);
    expect(r.droppedBytes).toBeGreaterThan(98_000);
    expect(Buffer.byteLength(r.output)).toBeLessThan(2000);
  });

  it('feeds stdin and passes extra fds through as fd 3', async () => {
    const file = path.join(dir, 'fd3.txt');
    fs.writeFileSync(file, 'from fd 3\n');
    const fd = fs.openSync(file, 'r');
    let disposed = false;
    const r = await runPrepared({
      prepared: sh('cat; cat <&3', { extraFds: [fd], dispose: () => ((disposed = true), fs.closeSync(fd)) }),
      stdin: 'from stdin\n',
    });
    expect(r.stdout).toBe('from stdin\nfrom fd 3\n');
    expect(disposed).toBe(true);
  });

  it('a timeout ends the whole process group with 124, a background job included', async () => {
    const pidFile = path.join(dir, 'timeout.pid');
    const r = await runPrepared({ prepared: sh(`sleep 30 & echo $! > ${pidFile}; wait`), timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBe(124);
    expect(r.durationMs).toBeLessThan(10_000);
    expect(await gone(pidFile)).toBe(true);
  });

  it('an abort ends the whole process group and says interrupted', async () => {
    const pidFile = path.join(dir, 'abort.pid');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const r = await runPrepared({ prepared: sh(`sleep 30 & echo $! > ${pidFile}; wait`), signal: ac.signal, timeoutMs: 20_000 });
    expect(r.interrupted).toBe(true);
    expect(r.timedOut).toBe(false);
    expect(await gone(pidFile)).toBe(true);
  });

  it('a missing program is 127 with the spawn error, and the clean-up still runs', async () => {
    let cleaned = false;
    const r = await runPrepared({ prepared: { file: path.join(dir, 'no-such-program'), args: [], env: {}, cwd: dir, cleanup: () => (cleaned = true) } });
    expect(r.exitCode).toBe(127);
    expect(r.spawnError).toMatch(/ENOENT/);
    expect(cleaned).toBe(true);
  });

  it('a program that is not executable is 126', async () => {
    const file = path.join(dir, 'not-exec');
    fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o644 });
    const r = await runPrepared({ prepared: { file, args: [], env: {}, cwd: dir } });
    expect(r.exitCode).toBe(126);
    expect(r.spawnError).toMatch(/EACCES/);
  });

  it('a command killed by a signal reports 128 + its number', async () => {
    const r = await runPrepared({ prepared: sh('kill -TERM $$') });
    expect(r.exitCode).toBe(143);
    expect(r.timedOut).toBe(false);
  });
});
