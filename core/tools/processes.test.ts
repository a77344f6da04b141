import { describe, expect, it } from 'vitest';
import { LiveProcess } from './live-process.js';
import { MAX_PROCESSES, ProcessManager } from './processes.js';

describe('ProcessManager', () => {
  it('bounds the running commands: past the limit the least recently used one is killed; closeAll kills the rest', async () => {
    const pm = new ProcessManager();
    const started: LiveProcess[] = [];
    const ids: number[] = [];
    for (let i = 0; i < MAX_PROCESSES; i++) {
      const proc = new LiveProcess({ file: '/bin/sleep', args: ['30'], env: {}, cwd: '/' }, false, 1000);
      started.push(proc);
      const { id, evicted } = pm.add({ proc, callId: `c${i}`, command: ['sleep', '30'], cwd: '/', emit: () => undefined });
      expect(evicted).toBeUndefined();
      ids.push(id);
    }
    expect(new Set(ids).size).toBe(MAX_PROCESSES);
    // Touch the oldest: the second oldest becomes the least recently used.
    await new Promise((r) => setTimeout(r, 5));
    expect(pm.get(ids[0]!)).toBeDefined();
    const extra = new LiveProcess({ file: '/bin/sleep', args: ['30'], env: {}, cwd: '/' }, false, 1000);
    const { evicted } = pm.add({ proc: extra, callId: 'extra', command: ['sleep', '30'], cwd: '/', emit: () => undefined });
    expect(evicted?.callId).toBe('c1');
    await started[1]!.wait(2000);
    expect(started[1]!.running).toBe(false);
    expect(pm.size).toBe(MAX_PROCESSES);
    // A command that ended without being polled goes before any running one.
    const ended = new LiveProcess({ file: '/bin/true', args: [], env: {}, cwd: '/' }, false, 1000);
    await ended.wait(2000);
    pm.remove(ids[2]!);
    started[2]!.kill();
    await started[2]!.wait(5000);
    const e = pm.add({ proc: ended, callId: 'ended', command: ['true'], cwd: '/', emit: () => undefined });
    expect(e.evicted).toBeUndefined();
    const extra2 = new LiveProcess({ file: '/bin/sleep', args: ['30'], env: {}, cwd: '/' }, false, 1000);
    expect(pm.add({ proc: extra2, callId: 'extra2', command: ['sleep', '30'], cwd: '/', emit: () => undefined }).evicted?.callId).toBe('ended');
    started.push(extra2);
    const killed = await pm.closeAll();
    expect(killed).toHaveLength(MAX_PROCESSES);
    expect([...started, extra].every((p) => !p.running)).toBe(true);
    expect(pm.size).toBe(0);
  }, 30_000);
});
