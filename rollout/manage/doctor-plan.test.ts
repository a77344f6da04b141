// The maintenance planners on in-memory snapshots: no file is touched, every decision is visible
// in the typed actions they return.
import { describe, expect, it } from 'vitest';
import { planCompression } from '../compress/plan.js';
import { planDoctor, type PlanContext } from './doctor-plan.js';
import type { CopyFacts, FormFacts, StoreFacts } from './inspect.js';
import { parseRolloutName } from '../paths.js';
import { analyzeContent, decidePair, threadsOf, tempFileOf, type StoreSnapshot, type StoreFile } from '../store/index.js';

const HOME = '/h';
const ID = '0199a0a0-0000-7000-8000-0000000000aa';
const STAMP = '2026-01-02T03-04-05';
const NAME = `rollout-${STAMP}-${ID}.jsonl`;
const DAY_DIR = `${HOME}/sessions/2026/01/02`;
const ARCH = `${HOME}/archived_sessions`;
const NOW = Date.parse('2026-03-01T00:00:00Z');

function file(dir: string, name: string, size = 100, mtimeMs = NOW - 86_400_000): StoreFile {
  const root = dir.startsWith(ARCH) ? 'archived' : 'sessions';
  return { path: `${dir}/${name}`, rel: `${dir.slice(HOME.length + 1)}/${name}`, root, name, size, mtimeMs, ctimeMs: mtimeMs, rollout: parseRolloutName(name) };
}

function snap(files: StoreFile[], extra: Partial<StoreSnapshot> = {}): StoreSnapshot {
  return { home: HOME, threads: threadsOf(files), temps: [], strays: [], odd: [], problems: [], threadLockFiles: [], index: [], ...extra };
}

function ok(path: string, text: string, digest = text): FormFacts {
  return { ok: true, path, bytes: text.length, digest, damage: analyzeContent(Buffer.from(text)).damage };
}

const ctx: PlanContext = { now: NOW, locked: () => false, holder: () => 'pid 1', tempOwnerHere: () => true, tempOwnerLive: () => false };
const rec = (n: number) => `{"timestamp":"2026-01-02T03:04:05.000Z","type":"event_msg","payload":{"n":${n}}}`;

describe('planDoctor', () => {
  it('a healthy thread: nothing', () => {
    const f = file(DAY_DIR, NAME);
    const facts: StoreFacts = new Map([[f.path, { plain: ok(f.path, rec(0) + '\n') }]]);
    expect(planDoctor(snap([f]), facts, ctx)).toEqual([]);
  });

  it('nothing parseable: quarantine the whole file, never a rewrite', () => {
    const f = file(DAY_DIR, NAME, 5000);
    const facts: StoreFacts = new Map([[f.path, { plain: ok(f.path, '\u00ff\u00fe<\u0000b\u0000i\u0000n') }]]);
    const [p] = planDoctor(snap([f]), facts, ctx);
    expect(p).toMatchObject({ code: 'STORE_NO_RECORD', fix: 'repairable', thread: ID, actions: [{ kind: 'quarantine', path: f.path, thread: ID, expect: { size: 5000 } }] });
  });

  it('torn fragments only: rewrite; foreign bytes: manual with no action', () => {
    const torn = file(DAY_DIR, NAME);
    const text = `${rec(0)}\n${rec(1).slice(0, 20)}${rec(2)}\n${rec(3).slice(0, 10)}`;
    const a = planDoctor(snap([torn]), new Map([[torn.path, { plain: ok(torn.path, text) }]]), ctx);
    expect(a).toMatchObject([{ code: 'STORE_TORN_LINES', fix: 'repairable', actions: [{ kind: 'rewrite', path: torn.path }] }]);
    const foreign = `${rec(0)}\nhello world\n${rec(1)}\n`;
    const b = planDoctor(snap([torn]), new Map([[torn.path, { plain: ok(torn.path, foreign) }]]), ctx);
    expect(b).toMatchObject([{ code: 'STORE_TORN_LINES', fix: 'manual', actions: [] }]);
  });

  it('a pair: the form the other one contains is removed, naming where its bytes are', () => {
    const plain = file(ARCH, NAME);
    const zst = file(ARCH, `${NAME}.zst`);
    const facts = (relation: CopyFacts['relation']): StoreFacts => new Map([[plain.path, { plain: ok(plain.path, rec(0) + '\n'), zst: ok(zst.path, rec(0) + '\n'), relation }]]);
    expect(planDoctor(snap([plain, zst]), facts('zst_is_prefix'), ctx)[0]!.actions).toEqual([{ kind: 'remove', thread: ID, path: zst.path, expect: { size: 100, mtimeMs: plain.mtimeMs }, keptIn: plain.path, keptExpect: { size: 100, mtimeMs: plain.mtimeMs } }]);
    expect(planDoctor(snap([plain, zst]), facts('plain_is_prefix'), ctx)[0]!.actions).toMatchObject([{ kind: 'remove', path: plain.path, keptIn: zst.path }]);
    expect(planDoctor(snap([plain, zst]), facts('diverged'), ctx)[0]).toMatchObject({ fix: 'manual', actions: [] });
  });

  it('doctor and the compressor decide a pair by one rule (decidePair): only the compressor finishing a cold file prefers the .zst', () => {
    for (const preferCompressed of [false, true]) {
      expect(decidePair('zst_is_prefix', preferCompressed)).toMatchObject({ drop: 'zst' });
      expect(decidePair('plain_is_prefix', preferCompressed)).toMatchObject({ drop: 'plain' });
      expect(decidePair('diverged', preferCompressed)).toHaveProperty('manual');
    }
    expect(decidePair('identical', false)).toMatchObject({ drop: 'zst' });
    expect(decidePair('identical', true)).toMatchObject({ drop: 'plain' });
  });

  it('a misplaced copy is moved, and the damage repair that follows acts on the moved path', () => {
    const f = file(`${ARCH}/sub`, NAME);
    const text = `${rec(0)}\n${rec(1).slice(0, 15)}`;
    const plan = planDoctor(snap([f]), new Map([[f.path, { plain: ok(f.path, text) }]]), ctx);
    expect(plan.map((p) => p.actions[0])).toMatchObject([
      { kind: 'move', from: f.path, to: `${ARCH}/${NAME}` },
      { kind: 'rewrite', path: `${ARCH}/${NAME}` },
    ]);
  });

  it('a live writer turns repairs into in_use; directories at rollout paths and dangling names get their codes', () => {
    const f = file(DAY_DIR, NAME, 7);
    const plan = planDoctor(
      snap([f], {
        odd: [{ path: `${DAY_DIR}/x`, rel: 'x', root: 'sessions', kind: 'directory', rollout: parseRolloutName(NAME)! }],
        index: [
          { id: '0199a0a0-0000-7000-8000-0000000000bb', line: 1, updatedAt: new Date(NOW - 86_400_000).toISOString() },
          { id: '0199a0a0-0000-7000-8000-0000000000cc', line: 2, updatedAt: new Date(NOW - 1000).toISOString() },
        ],
      }),
      new Map([[f.path, { plain: ok(f.path, 'garbage') }]]),
      { ...ctx, locked: (id) => id === ID },
    );
    expect(plan.map((p) => [p.code, p.fix, p.actions.length])).toEqual([
      ['STORE_NOT_A_FILE', 'manual', 0],
      ['STORE_NO_RECORD', 'in_use', 0],
      ['STORE_DANGLING_NAME', 'repairable', 1], // the fresh name (1 s old) is within its grace time
    ]);
  });

  it('temps: ours are removed (their source is still in place), unknown ones quarantined, live ones untouched', () => {
    const old = NOW - 2 * 3_600_000;
    const ours = tempFileOf(`${HOME}/.tmp/rollout-compress.host.999.0badf00d.${NAME}.zst.tmp`, 3, old, old);
    const other = tempFileOf(`${DAY_DIR}/editor-${ID}.tmp`, 3, old, old);
    const live = tempFileOf(`${ARCH}/.rollout-materialize-${NAME}.1234.abcd.tmp`, 3, old, old);
    const plan = planDoctor(snap([], { temps: [ours, other, live] }), new Map(), { ...ctx, tempOwnerLive: (t) => t.owner?.pid === 1234 });
    expect(plan.map((p) => [p.finding.kind, p.actions[0]!.kind, (p.actions[0] as { path: string }).path])).toEqual([
      ['orphan_temp', 'remove', ours.path],
      ['orphan_temp', 'quarantine', other.path],
    ]);
  });
});

describe('planCompression', () => {
  it('cold plain archived copies compress, pairs reconcile, the rest wait or are doctor’s', () => {
    const cold = file(ARCH, NAME, 10, NOW - 30 * 86_400_000);
    const warmName = NAME.replace('aa.jsonl', 'ab.jsonl');
    const warm = file(ARCH, warmName, 10, NOW - 1000);
    const pairName = NAME.replace('aa.jsonl', 'ac.jsonl');
    const pair = [file(ARCH, pairName, 10, NOW - 1000), file(ARCH, `${pairName}.zst`)];
    const nested = file(`${ARCH}/sub`, NAME.replace('aa.jsonl', 'ad.jsonl'), 10, NOW - 30 * 86_400_000);
    const active = file(DAY_DIR, NAME.replace('aa.jsonl', 'ae.jsonl'), 10, NOW - 30 * 86_400_000);
    const { work, notCold } = planCompression(threadsOf([cold, warm, ...pair, nested, active]), ARCH, NOW, 7 * 86_400_000);
    expect(notCold).toBe(1);
    expect(work.map((w) => [w.plain, w.pair, w.cold])).toEqual([
      [cold.path, false, true],
      [pair[0]!.path, true, false],
    ]);
  });
});
