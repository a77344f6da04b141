// Concurrency: recorders on different worker_threads serialize on the thread writer lock and never
// interleave lines; a reader running during the appends only ever sees whole records.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveSession, readAllRecords, RolloutRecorder } from '../../rollout/index.js';
import { tryThreadWriterLock } from '../../rollout/locks.js';
import { ROOT, tempDir } from '../helpers/bin.js';

const LINES = Number(process.env.ROLLOUT_CONCURRENCY_LINES ?? 120);
let bundle = '';

beforeAll(async () => {
  bundle = path.join(ROOT, '.build-tmp', `rollout-worker-${process.pid}.mjs`);
  await build({
    entryPoints: [path.join(ROOT, 'test/rollout/worker-entry.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
});
afterAll(() => {
  if (bundle) fs.rmSync(bundle, { force: true });
});

function startWorker(data: Record<string, unknown>): { worker: Worker; next: () => Promise<string> } {
  const worker = new Worker(bundle, { workerData: data });
  const queue: string[] = [];
  const waiters: ((m: string) => void)[] = [];
  worker.on('message', (m: string) => {
    const w = waiters.shift();
    if (w) w(m);
    else queue.push(m);
  });
  worker.on('error', (e) => {
    const w = waiters.shift();
    if (w) w(`error: ${e.message}`);
  });
  return { worker, next: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise((r) => waiters.push(r))) };
}

describe('thread writer locks across worker_threads', () => {
  it('a lock held on another thread excludes recorders and archive, naming the holder', async () => {
    const home = tempDir();
    const rec = await RolloutRecorder.create(home, { cwd: '/tmp' });
    rec.close();
    const w = startWorker({ mode: 'hold', home, id: rec.id });
    try {
      expect(await w.next()).toBe('held');
      expect(tryThreadWriterLock(home, rec.id)).toBeUndefined();
      await expect(RolloutRecorder.resume(home, rec.id, { lock: { timeoutMs: 0 } })).rejects.toMatchObject({ code: 'ROLLOUT_LOCKED', message: expect.stringContaining(`pid ${process.pid}`) });
      await expect(archiveSession(home, rec.id, { timeoutMs: 0 })).rejects.toMatchObject({ code: 'ROLLOUT_LOCKED' });
      w.worker.postMessage('release');
      expect(await w.next()).toBe('released');
      const again = tryThreadWriterLock(home, rec.id);
      expect(again).toBeDefined();
      again!.release();
    } finally {
      await w.worker.terminate();
    }
  });

  it('two recorders on two threads append to one thread without interleaving; a concurrent reader sees whole records only', async () => {
    const home = tempDir();
    const rec = await RolloutRecorder.create(home, { cwd: '/tmp' });
    const file = rec.path;
    rec.close();
    const size = 20_000; // lines of ~20 KB: several pages each, so a torn read would show
    const a = startWorker({ mode: 'append', home, id: rec.id, tag: 'A', lines: LINES, size, batch: 7 });
    const b = startWorker({ mode: 'append', home, id: rec.id, tag: 'B', lines: LINES, size, batch: 5 });
    let reads = 0;
    let stop = false;
    const reader = (async () => {
      while (!stop) {
        const { records, warnings } = await readAllRecords(file);
        reads++;
        for (const w of warnings) expect(w.code).toBe('ROLLOUT_TRUNCATED'); // only an append in flight at EOF
        for (const r of records.slice(1)) expect(String(r.payload.message)).toMatch(new RegExp(`^[AB]\\d+:x{${size}}$`));
      }
    })();
    const results = await Promise.all([a.next(), b.next()]);
    stop = true;
    await reader;
    await Promise.all([a.worker.terminate(), b.worker.terminate()]);
    expect(results).toEqual(['done', 'done']);
    expect(reads).toBeGreaterThan(0);
    const { records, warnings } = await readAllRecords(file);
    expect(warnings).toEqual([]);
    const msgs = records.slice(1).map((r) => String(r.payload.message).split(':')[0] ?? '');
    expect(msgs.length).toBe(2 * LINES);
    for (const tag of ['A', 'B']) expect(msgs.filter((m) => m.startsWith(tag))).toEqual(Array.from({ length: LINES }, (_, i) => `${tag}${i}`));
    // serialized by the lock: ordinals continue exactly across holders
    expect(records.map((r) => r.ordinal)).toEqual(records.map((_, i) => i));
    expect(fs.existsSync(path.join(home, 'thread-writer-locks', `${rec.id}.lock`))).toBe(false);
  });
});
