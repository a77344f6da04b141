// The one executor, on real files: it takes the thread lock (recording its role), re-checks every
// action against the state it was planned on, applies it and reports; in lockstep for a batch.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLockHolder, tryThreadWriterLock } from '../locks.js';
import { stampOf, type Action } from './actions.js';
import { applyBatch, applyGroups, type ApplyContext } from './executor.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const ID = (n: number) => `01a21319-0000-7000-8000-00000000000${n}`;

function store(): { home: string; dir: string; ctx: ApplyContext } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-exec-'));
  dirs.push(home);
  const dir = path.join(home, 'archived_sessions');
  fs.mkdirSync(dir, { recursive: true });
  return { home, dir, ctx: { home, now: Date.now, staleRule: { staleMs: 60_000, now: Date.now } } };
}

/** A plain rollout and a temp holding a (pretend) compressed copy, as the compressor prepares them. */
function prepared(dir: string, n: number): { plain: string; tmp: string; actions: Action[] } {
  const plain = path.join(dir, `rollout-2026-01-01T10-00-0${n}-${ID(n)}.jsonl`);
  fs.writeFileSync(plain, `{"n":${n}}\n`);
  const tmp = path.join(dir, `tmp-${n}`);
  fs.writeFileSync(tmp, `zst-${n}`);
  const st = fs.statSync(plain);
  return {
    plain,
    tmp,
    actions: [
      { kind: 'link_compressed', thread: ID(n), plain, tmp, expect: { ...stampOf(st), ino: st.ino } },
      { kind: 'remove', thread: ID(n), path: plain, expect: stampOf(st), keptIn: `${plain}.zst` },
    ],
  };
}

describe('applyBatch (the compressor’s commit)', () => {
  it('applies the groups in lockstep under each thread lock and reports in_use, changed and done per group', async () => {
    const { dir, ctx, home } = store();
    const ok = prepared(dir, 1);
    const held = prepared(dir, 2);
    const written = prepared(dir, 3);
    const gone = prepared(dir, 4);
    const lock = tryThreadWriterLock(home, ID(2))!; // a writer holds thread 2
    fs.appendFileSync(written.plain, '{"more":1}\n'); // thread 3 appended after the plan
    fs.rmSync(gone.plain); // thread 4 removed meanwhile
    const roles: (string | undefined)[] = [];
    try {
      const out = await applyBatch([ok, held, written, gone], {
        ...ctx,
        role: 'compressor',
        beforeAction: (a) => {
          if (a.kind === 'link_compressed') roles.push(readLockHolder(home, a.thread)?.role);
        },
      });
      expect(out.map((o) => o.status)).toEqual(['done', 'in_use', 'changed', 'changed']);
      expect(out[1]!.detail).toContain(`pid ${process.pid}`);
      expect(out[2]).toMatchObject({ reason: 'changed' });
      expect(out[3]).toMatchObject({ reason: 'vanished' });
    } finally {
      lock.release();
    }
    expect(roles).toEqual(['compressor', 'compressor', 'compressor']);
    // Done: the .zst in place (the temp's bytes), the plain file gone. The others: untouched.
    expect(fs.readFileSync(`${ok.plain}.zst`, 'utf8')).toBe('zst-1');
    expect(fs.existsSync(ok.plain)).toBe(false);
    for (const p of [held, written]) {
      expect(fs.existsSync(p.plain)).toBe(true);
      expect(fs.existsSync(`${p.plain}.zst`)).toBe(false);
    }
    // Every lock was released.
    for (const n of [1, 3, 4]) tryThreadWriterLock(home, ID(n))!.release();
  });

  it('never replaces a .zst that appeared meanwhile (reason: exists), and keeps the plain file', async () => {
    const { dir, ctx } = store();
    const p = prepared(dir, 5);
    fs.writeFileSync(`${p.plain}.zst`, 'someone else');
    const [o] = await applyBatch([p], ctx);
    expect(o).toMatchObject({ status: 'changed', reason: 'exists' });
    expect(fs.readFileSync(`${p.plain}.zst`, 'utf8')).toBe('someone else');
    expect(fs.existsSync(p.plain)).toBe(true);
  });
});

describe('applyGroups (doctor, prune, the compressor’s pairs)', () => {
  it('a remove re-checks the file it keeps too: a kept file changed since the plan stops it', async () => {
    const { dir, ctx } = store();
    const plain = path.join(dir, `rollout-2026-01-01T10-00-06-${ID(6)}.jsonl`);
    fs.writeFileSync(plain, '{"a":1}\n');
    fs.writeFileSync(`${plain}.zst`, 'z');
    const keptExpect = stampOf(fs.statSync(plain));
    const remove: Action = { kind: 'remove', thread: ID(6), path: `${plain}.zst`, expect: stampOf(fs.statSync(`${plain}.zst`)), keptIn: plain, keptExpect };
    fs.appendFileSync(plain, '{"b":2}\n');
    const [o] = await applyGroups([{ actions: [remove] }], ctx);
    expect(o).toMatchObject({ status: 'changed' });
    expect(fs.existsSync(`${plain}.zst`)).toBe(true);
    // Re-planned on what is there now, it goes through.
    const [o2] = await applyGroups([{ actions: [{ ...remove, keptExpect: stampOf(fs.statSync(plain)) }] }], ctx);
    expect(o2).toMatchObject({ status: 'done' });
    expect(fs.existsSync(`${plain}.zst`)).toBe(false);
  });
});
