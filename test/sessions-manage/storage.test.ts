// `codex sessions storage` on the real Codex 0.169 store and on a generated one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixtureHome, tempDir } from '../helpers/bin.js';
import { cx, json } from './helpers.js';
import { DAY, writeRollout } from './store.js';

interface Usage {
  bytes: number;
  files: number;
  plain_bytes: number;
  plain_files: number;
  compressed_bytes: number;
  compressed_files: number;
}
interface Report {
  total_bytes: number;
  files: number;
  sessions: number;
  roots: { sessions: Usage; archived: Usage };
  months: { month: string; sessions_bytes: number; archived_bytes: number; files: number }[];
  largest: { id: string; bytes: number; compressed: boolean; archived: boolean }[];
  compression: { method: string; ratio: number; plain_bytes: number; estimated_bytes_after: number; estimated_savings: number; archived_plain_bytes: number };
}

function sizes(dir: string): { plain: number; zst: number; nPlain: number; nZst: number } {
  const out = { plain: 0, zst: 0, nPlain: 0, nZst: 0 };
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.jsonl.zst')) (out.zst += fs.statSync(p).size), out.nZst++;
      else if (e.name.endsWith('.jsonl')) (out.plain += fs.statSync(p).size), out.nPlain++;
    }
  };
  walk(dir);
  return out;
}

describe('codex sessions storage', () => {
  it('reports the real 0.169 store per tree, per month, largest first, with a sampled compression estimate', () => {
    const home = copyFixtureHome();
    const r = cx(home, ['sessions', 'storage', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const rep = json<Report>(r);
    const act = sizes(path.join(home, 'sessions'));
    const arc = sizes(path.join(home, 'archived_sessions'));
    expect(rep.roots.sessions).toMatchObject({ plain_bytes: act.plain, compressed_bytes: act.zst, plain_files: act.nPlain, compressed_files: act.nZst });
    expect(rep.roots.archived).toMatchObject({ plain_bytes: arc.plain, compressed_bytes: arc.zst, plain_files: arc.nPlain, compressed_files: arc.nZst });
    expect(rep.roots.archived.compressed_files).toBe(4);
    expect(rep.roots.sessions.compressed_files).toBe(1);
    expect(rep.total_bytes).toBe(act.plain + act.zst + arc.plain + arc.zst);
    expect(rep.sessions).toBe(13);
    expect(rep.months).toEqual([expect.objectContaining({ month: '2026-11', files: 13 })]);
    const bytes = rep.largest.map((l) => l.bytes);
    expect(bytes).toEqual([...bytes].sort((a, b) => b - a));
    expect(rep.largest[0]!.bytes).toBe(Math.max(...listSizes(home)));
    const c = rep.compression;
    expect(c.method).toBe('sampled');
    // Codex 0.169's own .zst files of these rollouts are about 3× smaller than the plain ones.
    expect(c.ratio).toBeGreaterThan(2);
    expect(c.ratio).toBeLessThan(6);
    expect(c.plain_bytes).toBe(act.plain + arc.plain);
    expect(c.estimated_savings).toBe(c.plain_bytes - c.estimated_bytes_after);
    expect(c.archived_plain_bytes).toBe(arc.plain);

    const text = cx(home, ['sessions', 'storage']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('archived_sessions/');
    expect(text.stdout).toContain('Largest sessions:');
    expect(text.stdout).toMatch(/saving ~[\d.]+ KiB/);
  });

  it('groups by creation month and handles a missing store', () => {
    const home = path.join(tempDir(), 'home');
    const now = Date.now();
    writeRollout(home, { created: new Date(now - 400 * DAY), archived: true, compressed: true });
    writeRollout(home, { created: new Date(now - 40 * DAY) });
    writeRollout(home, { created: new Date(now) });
    const rep = json<Report>(cx(home, ['sessions', 'storage', '--json']));
    expect(rep.months.length).toBe(3);
    expect(rep.months.map((m) => m.month)).toEqual([...rep.months.map((m) => m.month)].sort().reverse());
    expect(rep.roots.archived.compressed_files).toBe(1);

    const empty = cx(path.join(tempDir(), 'nothing-here'), ['sessions', 'storage', '--json']);
    expect(empty.status).toBe(0);
    expect(json<Report>(empty)).toMatchObject({ total_bytes: 0, files: 0, sessions: 0, compression: { estimated_savings: 0 } });
  });
});

function listSizes(home: string): number[] {
  const out: number[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.jsonl(\.zst)?$/.test(e.name)) out.push(fs.statSync(p).size);
    }
  };
  walk(path.join(home, 'sessions'));
  walk(path.join(home, 'archived_sessions'));
  return out;
}
