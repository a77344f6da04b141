// scopeEntryList (the array search uses) and scopeEntryChunks (a keystroke's search) are exactly
// what the lazy scopeEntries yields, in every scope.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareEntriesDesc, entriesInDir, scopeEntries, scopeEntryChunks, scopeEntryList, type RolloutEntry, type Scope } from './scan.js';
import { parseRolloutName } from './paths.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-list-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

function put(dir: string, stamp: string, n: number, ext: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const id = `01a20000-${n.toString(16).padStart(4, '0')}-7abc-8def-0123456789ab`;
  fs.writeFileSync(path.join(dir, `rollout-${stamp}-${id}${ext}`), '{}\n');
}

// Active sessions over three days, archived ones interleaved in time, equal stamps on both sides,
// both forms of one file, and a name that is not a rollout.
for (let n = 0; n < 60; n++) {
  const day = 10 + (n % 3);
  const stamp = `2026-05-${day}T07-00-${String(n % 7).padStart(2, '0')}`;
  if (n % 4 === 0) put(path.join(home, 'archived_sessions'), stamp, n, n % 8 === 0 ? '.jsonl.zst' : '.jsonl');
  else put(path.join(home, 'sessions', '2026', '05', String(day)), stamp, n, '.jsonl');
}
put(path.join(home, 'archived_sessions'), '2026-05-11T07-00-01', 8, '.jsonl');
fs.writeFileSync(path.join(home, 'archived_sessions', 'notes.txt'), 'x');

describe('scopeEntryList', () => {
  it.each(['active', 'archived', 'all'] as Scope[])('equals the lazy walk for %s', (scope) => {
    const lazy = [...scopeEntries(home, scope)];
    expect(lazy.length).toBeGreaterThan(0);
    expect(scopeEntryList(home, scope)).toEqual(lazy);
  });
});

describe('scopeEntryChunks', () => {
  it.each(['active', 'archived', 'all'] as Scope[])('joined, equals the lazy walk for %s, with no empty chunk', (scope) => {
    const chunks = [...scopeEntryChunks(home, scope)];
    expect(chunks.every((c) => c.length > 0)).toBe(true);
    expect(chunks.flat()).toEqual([...scopeEntries(home, scope)]);
    // The active tree a day at a time (three days here).
    if (scope === 'active') expect(chunks.length).toBe(3);
  });
});

describe('entriesInDir', () => {
  it('orders and pairs as a sort by (stamp, lower-cased id) would, upper-case ids and both forms included', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-dir-'));
    try {
      const ids = ['0a000000-0000-7000-8000-00000000000a', '0A000000-0000-7000-8000-00000000000B', '0a000000-0000-7000-8000-00000000000c', 'ffffffff-0000-7000-8000-000000000000', 'FFFFFFFF-0000-7000-8000-000000000001'];
      const names: string[] = [];
      for (const stamp of ['2026-05-11T07-00-01', '2026-05-11T07-00-02']) {
        for (const [k, id] of ids.entries()) {
          const base = `rollout-${stamp}-${id}`;
          names.push(`${base}.jsonl`);
          if (k % 2 === 0) names.push(`${base}.jsonl.zst`); // both forms
          if (k === 1) names.push(`${base}.jsonl-old`, `x${base}.jsonl`, `.${base}.jsonl.tmp`); // not rollouts (one holding a rollout name at each end), a temp file
        }
      }
      names.push(`rollout-2026-05-11T07-00-03-${ids[3]}.jsonl.zst`); // compressed only
      for (const n of names) fs.writeFileSync(path.join(dir, n), '{}\n');
      const warnings: string[] = [];
      const got = entriesInDir(dir, true, (w) => warnings.push(path.basename(w.path)));
      // The oracle: every rollout name, plain winning per stem, sorted by the comparator.
      const byStem = new Map<string, RolloutEntry>();
      for (const n of names.filter((n) => !n.startsWith('.'))) {
        const p = parseRolloutName(n);
        if (!p) continue;
        const e: RolloutEntry = { id: p.id, stamp: p.stamp, path: path.join(dir, n), compressed: p.compressed, archived: true, bothForms: false };
        const prev = byStem.get(p.stem);
        if (prev) byStem.set(p.stem, { ...(p.compressed ? prev : e), bothForms: true });
        else byStem.set(p.stem, e);
      }
      const want = [...byStem.values()].sort(compareEntriesDesc);
      expect(got).toEqual(want);
      expect(got.filter((e) => e.bothForms)).toHaveLength(6);
      expect(got[0]!.compressed).toBe(true);
      expect(warnings.sort()).toEqual(names.filter((n) => n.endsWith('-old') || n.startsWith('x')).sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
