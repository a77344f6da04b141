// A writer waits a bounded time for a thread lock another process holds (the compressor's commit
// is short), then fails naming the holder; a materialize temp left by a killed writer is removed
// by the next writer of that thread.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RolloutRecorder } from '../../rollout/index.js';
import { readContent } from '../../rollout/reader.js';
import { tempDir } from '../helpers/bin.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

/** flock(1) holds the thread lock for `seconds`, like another process's writer or compressor. */
async function holdLock(home: string, id: string, seconds: number): Promise<ChildProcess> {
  const dir = path.join(home, 'thread-writer-locks');
  fs.mkdirSync(dir, { recursive: true });
  const child = spawn('flock', ['-x', path.join(dir, `${id}.lock`), 'sh', '-c', `echo locked; exec sleep ${seconds}`], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (c) => reject(new Error(`flock exited ${c}`)));
  });
  return child;
}

async function newThread(home: string): Promise<string> {
  const rec = await RolloutRecorder.create(home, { cwd: '/tmp' });
  rec.append('event_msg', { type: 'user_message', message: 'hi' });
  rec.close();
  return rec.id;
}

describe('writer lock wait', () => {
  it('a resume waits for a short hold and then appends', async () => {
    const home = tempDir();
    const id = await newThread(home);
    await holdLock(home, id, 0.4);
    const t0 = Date.now();
    const rec = await RolloutRecorder.resume(home, id);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
    rec.append('event_msg', { type: 'agent_message', message: 'after the wait' });
    rec.close();
    expect((await readContent(rec.path)).toString()).toContain('after the wait');
  });

  it('fails after the bounded wait, naming the holder and the wait', async () => {
    const home = tempDir();
    const id = await newThread(home);
    const holder = await holdLock(home, id, 30);
    const t0 = Date.now();
    await expect(RolloutRecorder.resume(home, id, { lock: { timeoutMs: 300 } })).rejects.toMatchObject({
      code: 'ROLLOUT_LOCKED',
      message: expect.stringMatching(new RegExp(`active writer: pid (${holder.pid}|\\d+) .*\\(waited 0\\.3 s\\)$`)),
    });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
  });

  it('the wait is configurable with CODEX_TS_WRITER_LOCK_WAIT_MS (0: fail at once)', async () => {
    const home = tempDir();
    const id = await newThread(home);
    await holdLock(home, id, 30);
    process.env.CODEX_TS_WRITER_LOCK_WAIT_MS = '0';
    try {
      const t0 = Date.now();
      await expect(RolloutRecorder.resume(home, id)).rejects.toMatchObject({ code: 'ROLLOUT_LOCKED' });
      expect(Date.now() - t0).toBeLessThan(1000);
    } finally {
      delete process.env.CODEX_TS_WRITER_LOCK_WAIT_MS;
    }
  });
});

describe('materialize temps of killed writers', () => {
  it('the next writer of the thread removes them, whether or not it materializes', async () => {
    const home = tempDir();
    const id = await newThread(home);
    const rec0 = await RolloutRecorder.resume(home, id);
    rec0.close();
    const plain = rec0.path;
    const content = fs.readFileSync(plain);
    // The thread compressed, as the worker leaves it.
    fs.writeFileSync(`${plain}.zst`, spawnSync('zstd', ['-q', '-c'], { input: content }).stdout);
    fs.rmSync(plain);
    // A dead pid (a child that exited) and a live one that is not a writer of this thread.
    const dead = spawnSync('true').pid!;
    const dir = path.dirname(plain);
    const leftover = path.join(dir, `.rollout-materialize-${path.basename(plain)}.${dead}.0badf00d.tmp`);
    fs.writeFileSync(leftover, content);
    const other = path.join(dir, `.rollout-materialize-${path.basename(plain)}.1.0badf00d.tmp`); // pid 1 is alive
    fs.writeFileSync(other, content);

    const rec = await RolloutRecorder.resume(home, id);
    rec.close();
    expect(fs.existsSync(leftover)).toBe(false);
    expect(fs.existsSync(other)).toBe(true);
    expect(fs.readFileSync(plain).subarray(0, content.length)).toEqual(content);
    // Plain already there: still cleaned.
    fs.writeFileSync(leftover, content);
    (await RolloutRecorder.resume(home, id)).close();
    expect(fs.existsSync(leftover)).toBe(false);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('.rollout-materialize-') && !n.includes('.1.0badf00d'))).toEqual([]);
  });
});

describe('resume onto a damaged store entry', () => {
  it('a directory at the rollout path is ROLLOUT_NOT_A_FILE, not an I/O error', async () => {
    const home = tempDir();
    const id = await newThread(home);
    const rec = await RolloutRecorder.resume(home, id);
    rec.close();
    fs.rmSync(rec.path);
    fs.mkdirSync(rec.path);
    await expect(RolloutRecorder.resume(home, id)).rejects.toMatchObject({ code: 'ROLLOUT_NOT_A_FILE', message: expect.stringContaining(rec.path) });
    expect(fs.statSync(rec.path).isDirectory()).toBe(true);
  });
});
