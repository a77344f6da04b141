// A writer waits a bounded time for a thread lock another process holds (the compressor's commit
// is short), then fails naming the holder; a materialize temp left by a killed writer is removed
// by the next writer of that thread.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readContent, readLockHolder, RolloutRecorder, tryThreadWriterLock } from '../../rollout/index.js';
import { codex, tempDir } from '../helpers/bin.js';

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

  it('the wait is configurable (0: fail at once)', async () => {
    const home = tempDir();
    const id = await newThread(home);
    await holdLock(home, id, 30);
    const t0 = Date.now();
    await expect(RolloutRecorder.resume(home, id, { lock: { timeoutMs: 0 } })).rejects.toMatchObject({ code: 'ROLLOUT_LOCKED' });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('the lock file records the holder and its role', async () => {
    const home = tempDir();
    const id = await newThread(home);
    const rec = await RolloutRecorder.resume(home, id);
    try {
      expect(readLockHolder(home, id)).toMatchObject({ pid: process.pid, role: 'writer' });
    } finally {
      rec.close();
    }
    const lock = tryThreadWriterLock(home, id, { role: 'compressor' })!;
    try {
      expect(readLockHolder(home, id)).toMatchObject({ pid: process.pid, role: 'compressor' });
    } finally {
      lock.release();
    }
  });

  it('a second writer of the thread is refused at once, naming the first (no wait for a live session)', async () => {
    const home = tempDir();
    const id = await newThread(home);
    const first = await RolloutRecorder.resume(home, id);
    try {
      const t0 = Date.now();
      // Default options: the 5 s wait is for the compressor only.
      const err = await RolloutRecorder.resume(home, id).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(err).toMatchObject({ code: 'ROLLOUT_LOCKED', message: expect.stringMatching(new RegExp(`^thread ${id} already has an active writer: pid ${process.pid} on \\S+ \\(.+\\) since \\d{4}-`)) });
      expect((err as Error).message).not.toContain('waited');
    } finally {
      first.close();
    }
  });

  it("the compressor's hold is waited for: released within the bound, the writer goes on", async () => {
    const home = tempDir();
    const id = await newThread(home);
    const lock = tryThreadWriterLock(home, id, { role: 'compressor' })!;
    setTimeout(() => lock.release(), 400);
    const t0 = Date.now();
    const rec = await RolloutRecorder.resume(home, id);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    rec.append('event_msg', { type: 'agent_message', message: 'after the compressor' });
    rec.close();
    expect((await readContent(rec.path)).toString()).toContain('after the compressor');
  });

  it("the compressor's hold past the bound fails naming the compressor and the wait", async () => {
    const home = tempDir();
    const id = await newThread(home);
    const lock = tryThreadWriterLock(home, id, { role: 'compressor' })!;
    try {
      const t0 = Date.now();
      await expect(RolloutRecorder.resume(home, id, { lock: { timeoutMs: 300 } })).rejects.toMatchObject({
        code: 'ROLLOUT_LOCKED',
        message: expect.stringMatching(new RegExp(`^thread ${id} is locked by the compressor, pid ${process.pid} .*\\(waited 0\\.[34] s\\)$`)),
      });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    } finally {
      lock.release();
    }
  });
});

describe('the binary: a second writer, and the lock settings from config.toml', () => {
  const cfg = (home: string, extra = '') =>
    fs.writeFileSync(
      path.join(home, 'config.toml'),
      // The model is never reached: the lock is taken first.
      `model = "m"\nmodel_provider = "p"\n${extra}\n[model_providers.p]\nname = "p"\nbase_url = "http://127.0.0.1:9/v1"\nwire_api = "responses"\nenv_key = "K"\n`,
    );

  it('a second `codex exec resume` of a thread being written is refused at once with ROLLOUT_LOCKED naming the writer', async () => {
    const home = tempDir();
    cfg(home);
    const id = await newThread(home);
    const first = await RolloutRecorder.resume(home, id);
    try {
      const t0 = Date.now();
      const r = codex(['exec', 'resume', '--skip-git-repo-check', id, 'again'], { env: { ...process.env, CODEX_HOME: home, K: 'k' }, cwd: home });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^codex: thread ${id} already has an active writer: pid ${process.pid} on \\S+ \\(.*\\) since \\S+ \\[ROLLOUT_LOCKED\\]\\n$`));
      expect(Date.now() - t0).toBeLessThan(4000); // no 5 s wait behind a live session
    } finally {
      first.close();
    }
  });

  it('[sessions] thread_lock_dir and writer_lock_wait_seconds are honoured; the environment overrides them', async () => {
    const home = tempDir();
    const id = await newThread(home);
    const env = { ...process.env, CODEX_HOME: home };
    // A short hold (the compressor's role) in the configured directory.
    const lockDir = path.join(home, 'my-locks');
    const held = tryThreadWriterLock(home, id, { lockDir, role: 'compressor' })!;
    try {
      cfg(home, '[sessions]\nthread_lock_dir = "my-locks"\nwriter_lock_wait_seconds = 0.3');
      const t0 = Date.now();
      const busy = codex(['archive', id], { env });
      expect(busy.status).toBe(1);
      expect(busy.stderr).toMatch(/is locked by the compressor, pid \d+ .*\(waited 0\.\d s\) \[ROLLOUT_LOCKED\]/);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
      // CODEX_TS_WRITER_LOCK_WAIT_MS=0 overrides the configured wait: no wait at all.
      const now = codex(['archive', id], { env: { ...env, CODEX_TS_WRITER_LOCK_WAIT_MS: '0' } });
      expect(now.stderr).toMatch(/is locked by the compressor, pid \d+ .* \[ROLLOUT_LOCKED\]\n$/);
      expect(now.stderr).not.toContain('waited');
      // CODEX_TS_THREAD_LOCK_DIR moves the locks elsewhere: the hold above is not seen there.
      const elsewhere = codex(['archive', id], { env: { ...env, CODEX_TS_THREAD_LOCK_DIR: path.join(home, 'other-locks') } });
      expect(elsewhere.status).toBe(0);
      expect(codex(['unarchive', id], { env: { ...env, CODEX_TS_THREAD_LOCK_DIR: path.join(home, 'other-locks') } }).status).toBe(0);
      // Without the setting the default directory is used, where nobody holds it.
      cfg(home);
      expect(codex(['archive', id], { env }).status).toBe(0);
      // A bad value is one clear line.
      cfg(home, '[sessions]\nwriter_lock_wait_seconds = "soon"');
      const bad = codex(['unarchive', id], { env });
      expect(bad.status).not.toBe(0);
      expect(bad.stderr).toMatch(/^codex: \S*config\.toml:\d+: `sessions\.writer_lock_wait_seconds` must be a non-negative number, got string "soon" \[CONFIG_TYPE\]\n$/);
    } finally {
      held.release();
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
