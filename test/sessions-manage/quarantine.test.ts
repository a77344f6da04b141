// No maintenance command destroys bytes it cannot account for: files with nothing parseable go
// whole to $CODEX_HOME/quarantine/, damage that is not a torn record fragment is left for a human,
// and every kind of misplaced entry is reported with one line and a stable code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/bin.js';
import { cx, json, treeDigest } from './helpers.js';
import { DAY, rolloutLines, rolloutText, writeRollout, zstd } from './store.js';

interface Finding {
  kind: string;
  code: string;
  fix: string;
  detail: string;
  path?: string;
  quarantined_to?: string;
}
interface Report {
  healthy: boolean;
  findings: Finding[];
  quarantine: { path: string; from: string; bytes: number }[];
}

function utf16(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

function garbage(n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

describe('doctor --repair never destroys what it cannot account for', () => {
  it('moves each kind of unparseable .jsonl whole to the quarantine, lists it, and is idempotent', () => {
    const home = path.join(tempDir(), 'home');
    const old = new Date(Date.now() - 3 * DAY);
    const kinds: Record<string, Buffer> = {
      zstd_misnamed: zstd(Buffer.from(rolloutText({ user: 'compressed but named .jsonl', created: old }))),
      utf16: utf16(rolloutText({ user: 'utf-16 text', created: old })),
      binary: Buffer.from(garbage(64 * 1024).map((b) => (b === 10 ? 11 : b))),
      // Large and without a newline (the size is kept moderate for a test; the listing bench uses 200 MB).
      no_newline: Buffer.alloc(48 * 1024 * 1024, 'x'),
    };
    const files: Record<string, string> = {};
    for (const [k, bytes] of Object.entries(kinds)) {
      const w = writeRollout(home, { content: '', created: old, archived: k === 'binary' });
      fs.writeFileSync(w.path, bytes);
      files[k] = w.path;
    }
    const healthy = writeRollout(home, { user: 'fine', created: old });
    const before = treeDigest(home);

    const check = json<Report>(cx(home, ['sessions', 'doctor', '--json']));
    expect(treeDigest(home)).toEqual(before);
    expect(check.findings.map((f) => [f.path, f.kind, f.code, f.fix]).sort()).toEqual(
      Object.values(files)
        .map((p) => [p, 'no_record', 'STORE_NO_RECORD', 'repairable'])
        .sort(),
    );

    const r = cx(home, ['sessions', 'doctor', '--repair', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const rep = json<Report>(r);
    expect(rep.healthy).toBe(true);
    for (const [k, p] of Object.entries(files)) {
      const f = rep.findings.find((x) => x.path === p)!;
      expect(f.fix, k).toBe('repaired');
      expect(fs.existsSync(p), k).toBe(false);
      expect(f.quarantined_to!.startsWith(path.join(home, 'quarantine') + path.sep), k).toBe(true);
      expect(f.detail).toContain(f.quarantined_to);
      expect(fs.readFileSync(f.quarantined_to!).equals(kinds[k]!), k).toBe(true);
    }
    expect(rep.quarantine.map((q) => q.from).sort()).toEqual(Object.values(files).map((p) => path.relative(home, p)).sort());
    expect(fs.existsSync(healthy.path)).toBe(true);

    // The next run finds nothing to fix and still shows what is kept.
    const again = cx(home, ['sessions', 'doctor']);
    expect(again.status, again.stdout).toBe(0);
    expect(again.stdout).toContain('is healthy.');
    expect(again.stdout).toContain('Quarantine (4 files kept whole');
    for (const p of Object.values(files)) expect(again.stdout).toContain(`(was ${path.relative(home, p)},`);
    // Nothing in the quarantine is listed as a session.
    const list = cx(home, ['sessions', 'list', '--all', '--json']);
    expect(list.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual([healthy.id]);
  });

  it('leaves a file alone when a repair would cut more than torn record fragments', () => {
    const home = path.join(tempDir(), 'home');
    const lines = rolloutLines({ user: 'keep me', command: 'echo hi' });
    // A whole line of foreign text in the middle: not a fragment of a record.
    const content = [...lines.slice(0, 3), 'this is not json and not a record fragment', ...lines.slice(3)].join('\n') + '\n';
    const w = writeRollout(home, { content });
    const bytes = fs.readFileSync(w.path);
    const r = cx(home, ['sessions', 'doctor', '--repair', '--json']);
    expect(r.status).toBe(1);
    expect(json<Report>(r).findings).toEqual([expect.objectContaining({ kind: 'torn_lines', code: 'STORE_TORN_LINES', fix: 'manual', detail: expect.stringContaining('not fragments of a record') })]);
    expect(fs.readFileSync(w.path)).toEqual(bytes);
  });

  it('reports every misplaced entry kind with one line and a stable code', () => {
    const home = path.join(tempDir(), 'home');
    const w = writeRollout(home, { user: 'a directory will sit at my name' });
    fs.rmSync(w.path);
    fs.mkdirSync(w.path);
    fs.writeFileSync(path.join(w.path, 'inside'), 'x');
    const nested = writeRollout(home, { user: 'nested', archived: true });
    const sub = path.join(home, 'archived_sessions', 'sub');
    fs.mkdirSync(sub);
    fs.renameSync(nested.path, path.join(sub, path.basename(nested.path)));
    fs.writeFileSync(path.join(home, 'session_index.jsonl'), JSON.stringify({ id: '0199a0a0-0000-7000-8000-000000000001', thread_name: 'ghost', updated_at: new Date(Date.now() - DAY).toISOString() }) + '\n');
    const r = cx(home, ['sessions', 'doctor']);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n').slice(0, -2);
    expect(lines.map((l) => /\[([A-Z_]+)\]$/.exec(l)?.[1]).sort()).toEqual(['STORE_DANGLING_NAME', 'STORE_MISPLACED', 'STORE_NOT_A_FILE']);
    expect(lines.find((l) => l.includes('STORE_NOT_A_FILE'))).toContain(`not_a_file: ${w.path}: a directory where a rollout file belongs`);
    // --repair moves what it can and never touches the directory.
    cx(home, ['sessions', 'doctor', '--repair']);
    expect(fs.readFileSync(path.join(w.path, 'inside'), 'utf8')).toBe('x');
  });
});
