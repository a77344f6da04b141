// The compressor's commit goes through the store's executor (store/executor.ts): under the thread
// lock recorded with the role `compressor`, which a writer arriving meanwhile waits for (bounded);
// a plain + .zst pair is decided by the same rule doctor uses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCompressionPass } from '../../rollout/compress/index.js';
import { readLockHolder, RolloutRecorder, type LockHolder } from '../../rollout/index.js';
import { tempDir } from '../helpers/bin.js';
import { exists, makeStore, PASS_DEFAULTS, readThread, rolloutText } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('compressor commit through the executor', () => {
  it('holds the thread lock as `compressor`; a resume arriving then waits for the commit and appends after it', async () => {
    const { home, stems } = makeStore(1, 6000);
    const stem = stems[0]!;
    const id = stem.slice(-36);
    const before = fs.readFileSync(`${stem}.jsonl`);
    let holder: LockHolder | undefined;
    let resumed: Promise<RolloutRecorder> | undefined;
    let resumeStarted = 0;
    const s = await runCompressionPass({
      home,
      ...PASS_DEFAULTS,
      hooks: {
        beforeCommit: async () => {
          holder = readLockHolder(home, id);
          resumeStarted = Date.now();
          resumed = RolloutRecorder.resume(home, id); // default wait: 5 s for a short hold
          await sleep(400); // a slow commit
        },
      },
    });
    expect(s.compressed).toBe(1);
    expect(holder).toMatchObject({ pid: process.pid, role: 'compressor' });
    const rec = await resumed!;
    expect(Date.now() - resumeStarted).toBeGreaterThanOrEqual(350);
    // It waited for the whole commit: the .zst it found was materialized back, bytes exact.
    expect(rec.path).toBe(`${stem}.jsonl`);
    rec.append('event_msg', { type: 'agent_message', message: 'after the commit' });
    rec.close();
    const now = fs.readFileSync(`${stem}.jsonl`);
    expect(now.subarray(0, before.length).equals(before)).toBe(true);
    expect(now.subarray(before.length).toString()).toContain('after the commit');
    expect(exists(`${stem}.jsonl.zst`)).toBe(false);
  });

  it('a plain file that is a prefix of the .zst (the allowed transition state) is resolved: the plain copy goes', async () => {
    const home = path.join(tempDir('codex-compress-'), 'home');
    const dir = path.join(home, 'archived_sessions');
    fs.mkdirSync(dir, { recursive: true });
    const id = '01a21319-0000-7000-8000-00000000beef';
    const stem = path.join(dir, `rollout-2026-01-01T10-00-00-${id}`);
    const full = rolloutText(id, 8000, 3);
    const prefix = full.slice(0, full.indexOf('\n', 3000) + 1);
    fs.writeFileSync(`${stem}.jsonl.zst`, spawnSync('zstd', ['-3', '-q', '-c'], { input: full }).stdout);
    fs.writeFileSync(`${stem}.jsonl`, prefix);
    const s = await runCompressionPass({ home, ...PASS_DEFAULTS });
    expect(s.files).toMatchObject([{ path: `${stem}.jsonl`, action: 'finished' }]);
    expect(exists(`${stem}.jsonl`)).toBe(false);
    expect((await readThread(stem)).toString()).toBe(full);
  });
});
