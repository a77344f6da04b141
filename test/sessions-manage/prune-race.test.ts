// prune re-checks each thread under its writer lock: a write landing between the plan and the
// removal keeps the thread (in-process, so the write can be placed exactly there).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prune } from '../../rollout/manage/index.js';
import { tempDir } from '../helpers/bin.js';
import { DAY, writeRollout } from './store.js';

describe('prune between plan and removal', () => {
  it('skips a thread written to after the scan, removes the untouched one', async () => {
    const home = path.join(tempDir(), 'home');
    const old = new Date(Date.now() - 40 * DAY);
    const touched = writeRollout(home, { created: old });
    const untouched = writeRollout(home, { created: old });
    const r = await prune({
      home,
      olderThanMs: 30 * DAY,
      archivedOnly: false,
      dryRun: false,
      beforeRemove: (id) => {
        if (id === touched.id) fs.appendFileSync(touched.path, JSON.stringify({ timestamp: new Date().toISOString(), type: 'event_msg', payload: {} }) + '\n');
      },
    });
    expect(r.removed.map((x) => x.id)).toEqual([untouched.id]);
    expect(r.skipped).toEqual([{ id: touched.id, paths: [touched.path], reason: 'changed since the scan: written to meanwhile' }]);
    expect(fs.existsSync(touched.path)).toBe(true);
    expect(fs.existsSync(untouched.path)).toBe(false);
  });

  it('skips a thread whose file moved away after the scan (e.g. archived meanwhile)', async () => {
    const home = path.join(tempDir(), 'home');
    const w = writeRollout(home, { created: new Date(Date.now() - 40 * DAY) });
    const moved = path.join(home, 'archived_sessions', path.basename(w.path));
    const r = await prune({
      home,
      olderThanMs: 30 * DAY,
      archivedOnly: false,
      dryRun: false,
      beforeRemove: () => {
        fs.mkdirSync(path.dirname(moved), { recursive: true });
        fs.renameSync(w.path, moved);
      },
    });
    expect(r.removed).toEqual([]);
    expect(r.skipped[0]!.reason).toBe('changed since the scan: a file moved or disappeared');
    expect(fs.existsSync(moved)).toBe(true);
  });
});
