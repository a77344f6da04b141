// A new UI session's rollout: no file until the first turn opens it (as 0.169), then an ordinary
// rollout; closed unopened, nothing is left behind.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSession } from '../../core/agent/index.js';
import { DeferredWriter } from '../../core/ui/index.js';
import { tempDir } from '../helpers/bin.js';

const files = (home: string): string[] => (fs.existsSync(path.join(home, 'sessions')) ? fs.readdirSync(path.join(home, 'sessions'), { recursive: true }).map(String).filter((f) => f.endsWith('.jsonl')) : []);

function writer(home: string, id: string): { w: DeferredWriter; created: () => number } {
  let n = 0;
  const w = new DeferredWriter(id, () => {
    n++;
    return createSession(home, { id, cwd: home, modelProvider: 'mock', baseInstructions: 'x', now: new Date(), source: 'cli' });
  });
  return { w, created: () => n };
}

describe('DeferredWriter', () => {
  it('writes nothing until opened; closed unopened, leaves nothing', () => {
    const home = tempDir('deferred-');
    const { w, created } = writer(home, '01a20000-0000-7000-8000-000000000001');
    expect(() => w.append('event_msg', {})).toThrow(/not created yet/);
    expect(w.written).toBe(false);
    expect(w.path).toMatch(/not written yet/);
    w.flush();
    w.close();
    expect(created()).toBe(0);
    expect(files(home)).toEqual([]);
  });

  it('opened (once, however often asked), it is an ordinary rollout with session_meta first', async () => {
    const home = tempDir('deferred-');
    const id = '01a20000-0000-7000-8000-000000000002';
    const { w, created } = writer(home, id);
    await Promise.all([w.open(), w.open()]);
    await w.open();
    expect(created()).toBe(1);
    w.append('event_msg', { type: 'task_started' });
    w.close();
    const lines = fs.readFileSync(w.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; payload: { id?: string; source?: string } });
    expect(lines.map((l) => l.type)).toEqual(['session_meta', 'event_msg']);
    expect(lines[0]!.payload).toMatchObject({ id, source: 'cli' });
    await expect(w.open()).rejects.toThrow(/closed/);
  });
});
