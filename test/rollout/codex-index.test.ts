// Codex 0.169's own thread index (state_5.sqlite, table threads) kept true by our archive,
// unarchive, compression and prune: the real Codex then resumes the thread (or refuses with its own
// "is archived" message) and its app-server lists it where it is. Plus the cases where nothing may
// be written: no database, a state_N.sqlite of another version, a schema newer than 0.169's.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { archiveSession, unarchiveSession } from '../../rollout/index.js';
import { KNOWN_MAX_MIGRATION, openCodexIndex } from '../../rollout/codex-index.js';
import { codex, referenceCodex, REFERENCE_MISSING_REASON, runAsync, tempDir } from '../helpers/bin.js';
import { writeRollout } from '../sessions-manage/store.js';
import { mockHome, startMiniMock } from './mock-responses.js';

const ref = referenceCodex();

interface Row {
  rollout_path: string;
  archived: number;
  archived_at: number | null;
}

function row(home: string, id: string): Row | undefined {
  const db = new Database(path.join(home, 'state_5.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT rollout_path, archived, archived_at FROM threads WHERE id = ?').get(id) as Row | undefined;
  } finally {
    db.close();
  }
}

/** Ask the reference app-server for its thread list (archived or not), as a client would. */
async function appServerList(home: string, proj: string, env: NodeJS.ProcessEnv, archived: boolean): Promise<{ id: string; path?: string }[]> {
  const child = spawn(ref!, ['app-server'], { cwd: proj, env: { ...env, CODEX_HOME: home }, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buf = '';
  const got = new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no thread/list answer: ${lines.join('\n')}`)), 30_000);
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        try {
          const msg = JSON.parse(line) as { id?: number; result?: Record<string, unknown> };
          if (msg.id === 2) {
            clearTimeout(timer);
            resolve(msg.result ?? {});
          }
        } catch {
          /* not JSON */
        }
      }
    });
  });
  child.stdin.write(JSON.stringify({ id: 1, method: 'initialize', params: { clientInfo: { name: 'codex-ts-test', version: '1' } } }) + '\n');
  child.stdin.write(JSON.stringify({ method: 'initialized' }) + '\n');
  child.stdin.write(JSON.stringify({ id: 2, method: 'thread/list', params: { archived, sourceKinds: ['exec'] } }) + '\n');
  try {
    const result = await got;
    return (result.data as { id: string; path?: string }[]).map((t) => ({ id: t.id, ...(t.path ? { path: t.path } : {}) }));
  } finally {
    child.kill('SIGKILL');
  }
}

describe.skipIf(!ref)(`Codex 0.169 index interop (differential)${ref ? '' : ` (skipped: ${REFERENCE_MISSING_REASON})`}`, () => {
  it('ours archives, unarchives, compresses and prunes; the real Codex resumes, refuses and lists by its index', async () => {
    const mock = await startMiniMock('mock says hi');
    try {
      const { home, proj, env } = mockHome('codex-index-', mock.baseUrl);
      const made = await runAsync(ref!, ['exec', '--skip-git-repo-check', 'remember the word kumquat'], { cwd: proj, env });
      expect(made.status, made.stderr).toBe(0);
      expect(fs.existsSync(path.join(home, 'state_5.sqlite'))).toBe(true);
      const listed = codex(['sessions', 'list', '--json'], { env });
      const id = (JSON.parse(listed.stdout.trim().split('\n')[0]!) as { id: string }).id;
      expect(row(home, id)).toMatchObject({ archived: 0 });

      // archive: the row follows, and Codex refuses with its own message (not "no rollout found").
      const t0 = Math.floor(Date.now() / 1000);
      const arch = codex(['archive', id, '--json'], { env });
      expect(arch.status, arch.stderr).toBe(0);
      const archivedPath = (JSON.parse(arch.stdout) as { path: string; codex_index: string }).path;
      expect(JSON.parse(arch.stdout)).toMatchObject({ codex_index: 'updated' });
      const r1 = row(home, id)!;
      expect(r1).toMatchObject({ rollout_path: archivedPath, archived: 1 });
      expect(r1.archived_at).toBeGreaterThanOrEqual(t0);
      const refused = await runAsync(ref!, ['exec', '--skip-git-repo-check', 'resume', id, 'again'], { cwd: proj, env });
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain(`session ${id} is archived`);
      expect(refused.stderr).not.toContain('no rollout found');
      expect((await appServerList(home, proj, env, true)).map((t) => t.id)).toEqual([id]);
      expect(await appServerList(home, proj, env, false)).toEqual([]);

      // compression of the archived thread: the row points at the .zst.
      const comp = codex(['sessions', 'compress', '--min-age', '0', '--json'], { env });
      expect(comp.status, comp.stderr).toBe(0);
      expect(row(home, id)!.rollout_path).toBe(`${archivedPath}.zst`);

      // unarchive (the .zst moves): active again for Codex, which resumes it.
      const un = codex(['unarchive', id, '--json'], { env });
      expect(un.status, un.stderr).toBe(0);
      const r2 = row(home, id)!;
      expect(r2).toMatchObject({ archived: 0, archived_at: null });
      expect(r2.rollout_path).toBe(`${(JSON.parse(un.stdout) as { path: string }).path.replace(/\.zst$/, '')}.zst`);
      expect((await appServerList(home, proj, env, false)).map((t) => t.id)).toEqual([id]);
      const resumed = await runAsync(ref!, ['exec', '--skip-git-repo-check', 'resume', id, 'and again'], { cwd: proj, env });
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(resumed.stdout).toContain('mock says hi');

      // our resume materializes it back to plain: the row follows (Codex may have done so already).
      const rec = await (await import('../../rollout/index.js')).RolloutRecorder.resume(home, id);
      rec.close();
      expect(row(home, id)!.rollout_path).toBe(rec.path);

      // prune: the row goes with the file.
      const old = new Date(Date.now() - 3 * 3_600_000);
      fs.utimesSync(rec.path, old, old);
      const pr = codex(['sessions', 'prune', '--older-than', '1h', '--json'], { env });
      expect(pr.status, pr.stderr).toBe(0);
      expect(fs.existsSync(rec.path)).toBe(false);
      expect(row(home, id)).toBeUndefined();
      expect(await appServerList(home, proj, env, false)).toEqual([]);
    } finally {
      await mock.close();
    }
  });
});

describe('Codex index: nothing written unless it is the schema we know', () => {
  function fakeDb(file: string, version: number): void {
    const db = new Database(file);
    db.prepare('CREATE TABLE _sqlx_migrations (version INTEGER PRIMARY KEY, description TEXT, success INTEGER)').run();
    db.prepare('INSERT INTO _sqlx_migrations VALUES (?, ?, 1)').run(version, 'x');
    db.prepare('CREATE TABLE threads (id TEXT PRIMARY KEY, rollout_path TEXT NOT NULL, archived INTEGER NOT NULL DEFAULT 0, archived_at INTEGER)').run();
    db.close();
  }

  it('absent: archive works and reports it; another state_N.sqlite or a newer schema: untouched, with a note', async () => {
    const home = tempDir();
    const w = writeRollout(home, { user: 'x' });
    expect((await archiveSession(home, w.id)).codexIndex).toEqual({ status: 'absent' });
    fs.writeFileSync(path.join(home, 'logs_2.sqlite'), '');
    expect((await unarchiveSession(home, w.id)).codexIndex).toEqual({ status: 'absent', note: expect.stringContaining('no Codex thread index (state_5.sqlite) beside logs_2.sqlite') });
    expect((await archiveSession(home, w.id)).moved).toBe(true);

    fs.writeFileSync(path.join(home, 'state_6.sqlite'), 'a future Codex');
    const r = await unarchiveSession(home, w.id);
    expect(r.codexIndex).toMatchObject({ status: 'unknown_schema', note: expect.stringContaining('state_6.sqlite') });
    expect(fs.readFileSync(path.join(home, 'state_6.sqlite'), 'utf8')).toBe('a future Codex');

    const db = path.join(home, 'state_5.sqlite');
    fakeDb(db, KNOWN_MAX_MIGRATION + 1);
    const before = fs.readFileSync(db);
    const a = await archiveSession(home, w.id);
    expect(a.codexIndex).toMatchObject({ status: 'unknown_schema', note: expect.stringContaining(`schema version ${KNOWN_MAX_MIGRATION + 1}`) });
    expect(fs.readFileSync(db)).toEqual(before);
    const cli = codex(['unarchive', w.id], { env: { ...process.env, CODEX_HOME: home } });
    expect(cli.status).toBe(0);
    expect(cli.stderr).toMatch(/^note: Codex thread index .*not updated\n$/);
  });

  it('a known schema: the row follows; a thread Codex never saw is no_row', async () => {
    const home = tempDir();
    const w = writeRollout(home, { user: 'x' });
    fakeDb(path.join(home, 'state_5.sqlite'), KNOWN_MAX_MIGRATION);
    const ix = await openCodexIndex(home);
    expect('close' in ix).toBe(true);
    if ('close' in ix) ix.close();
    expect((await archiveSession(home, w.id)).codexIndex).toEqual({ status: 'no_row' });
    const db = new Database(path.join(home, 'state_5.sqlite'));
    db.prepare('INSERT INTO threads (id, rollout_path) VALUES (?, ?)').run(w.id, '/nowhere');
    db.close();
    const u = await unarchiveSession(home, w.id);
    expect(u.codexIndex).toEqual({ status: 'updated' });
    expect(row(home, w.id)).toEqual({ rollout_path: u.path, archived: 0, archived_at: null });
    // sqlite3 (the CLI) agrees, reading through SQLite's own locking.
    const q = spawnSync('sqlite3', [path.join(home, 'state_5.sqlite'), `SELECT rollout_path FROM threads WHERE id = '${w.id}'`], { encoding: 'utf8' });
    if (q.status === 0) expect(q.stdout.trim()).toBe(u.path);
  });

  it('doctor --repair keeps the row in step when it moves a misplaced rollout or drops a contained form', () => {
    const home = tempDir();
    const w = writeRollout(home, { user: 'nested', archived: true });
    const nested = path.join(home, 'archived_sessions', 'sub', path.basename(w.path));
    fs.mkdirSync(path.dirname(nested));
    fs.renameSync(w.path, nested);
    fakeDb(path.join(home, 'state_5.sqlite'), KNOWN_MAX_MIGRATION);
    const db = new Database(path.join(home, 'state_5.sqlite'));
    db.prepare('INSERT INTO threads (id, rollout_path, archived) VALUES (?, ?, 1)').run(w.id, nested);
    db.close();
    const r = codex(['sessions', 'doctor', '--repair', '--json'], { env: { ...process.env, CODEX_HOME: home } });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(row(home, w.id)).toMatchObject({ rollout_path: w.path, archived: 1 });
  });
});
