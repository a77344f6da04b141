// The writer/compressor race, closed with Codex 0.169's own lock files: a real Codex 0.169 in the
// middle of `codex exec resume` holds thread-writer-locks/<id>.lock (flock), and our worker leaves
// that thread alone; once Codex exits, the next pass compresses it with every line Codex wrote.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isThreadLocked } from '../../rollout/locks.js';
import { codex, copyFixtureHome, referenceCodex, REFERENCE_MISSING_REASON, tempDir } from '../helpers/bin.js';
import { startMock } from '../mock/server.js';
import { DAY, exists, setAge, zstdCli } from './helpers.js';

const ref = referenceCodex();
const ID = '01a21319-0c7d-7401-a743-ece0df82ffc0';

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('coordination with a real Codex 0.169', () => {
  it.skipIf(!ref)(`a thread Codex 0.169 is writing is skipped, then compressed whole${ref ? '' : ` (skipped: ${REFERENCE_MISSING_REASON})`}`, async () => {
    const home = copyFixtureHome();
    const mock = await startMock({ steps: [{ kind: 'message', text: 'slow-answer-marker', delayMs: 4000 }] });
    try {
      fs.writeFileSync(
        path.join(home, 'config.toml'),
        `model = "mock-model"\nmodel_provider = "mock"\n[model_providers.mock]\nname = "mock"\nbase_url = "${mock.url}"\nwire_api = "responses"\nenv_key = "MOCK_KEY"\n`,
      );
      const day = path.join(home, 'sessions/2026/11/25');
      const name = fs.readdirSync(day).find((n) => n.includes(ID))!;
      const cwd = tempDir('codex-coord-cwd-');
      const child = spawn(ref!, ['exec', '--skip-git-repo-check', 'resume', ID, 'resume-while-compressing'], {
        cwd,
        env: { ...process.env, CODEX_HOME: home, MOCK_KEY: 'k' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
      // Codex holds the thread's flock and is waiting on the slow model: its rollout is open for append.
      await until('Codex 0.169 to take the thread lock and call the model', () => isThreadLocked(home, ID) && mock.requests.length > 0);
      // 0.169 refuses to resume an archived thread, so archive it under Codex's feet (as a
      // lock-ignoring tool would) and make it look cold: the worker now sees a candidate in use.
      const archived = path.join(home, 'archived_sessions', name);
      fs.renameSync(path.join(day, name), archived);
      setAge(archived, 10 * DAY);

      const r = codex(['sessions', 'compress', '--json'], { env: { ...process.env, CODEX_HOME: home } });
      expect(r.status, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout) as { files: { path: string; action: string; reason?: string }[] };
      expect(s.files.find((f) => f.path === archived)).toMatchObject({ action: 'skipped', reason: 'in_use' });
      expect(exists(archived)).toBe(true);
      expect(exists(`${archived}.zst`)).toBe(false);

      expect(await exited, err).toBe(0);
      const written = fs.readFileSync(archived, 'utf8');
      expect(written).toContain('resume-while-compressing');
      expect(written).toContain('slow-answer-marker');
      setAge(archived, 10 * DAY);
      const after = codex(['sessions', 'compress', '--json'], { env: { ...process.env, CODEX_HOME: home } });
      expect((JSON.parse(after.stdout) as { files: { path: string; action: string }[] }).files.find((f) => f.path === archived)?.action).toBe('compressed');
      expect(zstdCli(`${archived}.zst`).toString('utf8')).toBe(written);
    } finally {
      await mock.close();
    }
  });
});
