// scopeEntryList (the array search uses) is exactly what the lazy scopeEntries yields, in every scope.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scopeEntries, scopeEntryList, type Scope } from './scan.js';

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
