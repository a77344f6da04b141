// Interop with the real Codex 0.169: a rollout written by OUR recorder is resumed by
// `codex exec resume <id>` (against a loopback mock), which sees our history and appends to the
// same file; our readers then read Codex's appended lines without a warning.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findById, readAllRecords, RolloutRecorder } from '../../rollout/index.js';
import { codex, referenceCodex, REFERENCE_MISSING_REASON, tempDir } from '../helpers/bin.js';
import { startMiniMock } from './mock-responses.js';

const ref = referenceCodex();

function runAsync(file: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** A CODEX_HOME whose config points the real Codex at the loopback mock, and a project folder. */
function mockHome(prefix: string, baseUrl: string): { home: string; proj: string; env: NodeJS.ProcessEnv } {
  const root = tempDir(prefix);
  const home = path.join(root, 'home');
  const proj = path.join(root, 'proj');
  fs.mkdirSync(home);
  fs.mkdirSync(proj);
  fs.writeFileSync(
    path.join(home, 'config.toml'),
    // Our `[sessions]` table (lock settings) is in the file: 0.169 must run with it (it ignores it).
    `model = "mock-model"\nmodel_provider = "mock"\n[sessions]\nwriter_lock_wait_seconds = 5\n[model_providers.mock]\nname = "mock"\nbase_url = "${baseUrl}"\nwire_api = "responses"\nenv_key = "MOCK_KEY"\n`,
  );
  return { home, proj, env: { ...process.env, CODEX_HOME: home, MOCK_KEY: 'x', RUST_LOG: 'error' } };
}

describe.skipIf(!ref)(`our rollouts in the real Codex 0.169${ref ? '' : ` (skipped: ${REFERENCE_MISSING_REASON})`}`, () => {
  it('codex exec resume <id> accepts a session created by our recorder, plain and compressed+archived', async () => {
    const mock = await startMiniMock('mock says hi');
    try {
      const { home, proj, env } = mockHome('codex-diff-', mock.baseUrl);
      for (const variant of ['plain', 'archived-compressed'] as const) {
        const word = `pineapple-${variant}`;
        const rec = await RolloutRecorder.create(home, { cwd: proj, modelProvider: 'mock', baseInstructions: 'You are a test agent.' });
        rec.append('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: `remember the word ${word}` }] });
        rec.append('event_msg', { type: 'user_message', message: `remember the word ${word}`, images: [] });
        rec.append('response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `ok, ${word} noted` }] });
        rec.append('event_msg', { type: 'agent_message', message: `ok, ${word} noted` });
        rec.close();
        const ours = fs.readFileSync(rec.path);
        if (variant === 'archived-compressed') {
          // archive + compress with our own tools, then let Codex find and materialize it
          expect(codex(['archive', rec.id], { env }).status).toBe(0);
          const archived = findById(home, rec.id)!.path;
          const z = await import('../../native/index.js');
          fs.writeFileSync(archived + '.zst', await z.zstdCompress(ours, 3));
          fs.rmSync(archived);
          expect(codex(['unarchive', rec.id], { env }).status).toBe(0);
        }
        const before = mock.bodies.length;
        const r = await runAsync(ref!, ['exec', '--skip-git-repo-check', 'resume', rec.id, 'what word?'], { cwd: proj, env });
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toContain('mock says hi');
        // Codex sent our history to the model
        expect(mock.bodies.length).toBeGreaterThan(before);
        expect(mock.bodies[mock.bodies.length - 1]).toContain(`remember the word ${word}`);
        // …and appended to our file (plain, same path), keeping our bytes as its prefix
        const entry = findById(home, rec.id)!;
        expect(entry.compressed).toBe(false);
        const after = fs.readFileSync(entry.path);
        expect(after.length).toBeGreaterThan(ours.length);
        expect(after.subarray(0, ours.length).equals(ours)).toBe(true);
        const { records, warnings } = await readAllRecords(entry.path);
        expect(warnings).toEqual([]);
        // our session_meta is 0.169's paginated format: Codex continued our ordinals
        expect(records.map((x) => x.ordinal)).toEqual(records.map((_, i) => i));
        expect(records.map((x) => x.raw + '\n').join('')).toBe(after.toString('utf8'));
        const show = codex(['sessions', 'show', rec.id, '--json'], { env });
        expect(show.stdout).toContain('what word?');
        expect(show.stdout).toContain('mock says hi');
      }
    } finally {
      await mock.close();
    }
  });
});

describe.skipIf(!ref)(`thread writer locks shared with the real Codex 0.169${ref ? '' : ` (skipped: ${REFERENCE_MISSING_REASON})`}`, () => {
  it('each side refuses to write a thread the other is writing, naming the holder', async () => {
    const mock = await startMiniMock('slow reply', { delayMs: 2500 });
    try {
      const { home, proj, env } = mockHome('codex-lock-', mock.baseUrl);
      const rec = await RolloutRecorder.create(home, { cwd: proj, modelProvider: 'mock' });
      rec.append('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] });
      // We hold the lock: Codex refuses to resume.
      const refused = await runAsync(ref!, ['exec', '--skip-git-repo-check', 'resume', rec.id, 'again'], { cwd: proj, env });
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain('already has an active writer');
      rec.close();
      // Codex holds it (its model call is slow): our archive refuses and names the Codex process.
      const running = runAsync(ref!, ['exec', '--skip-git-repo-check', 'resume', rec.id, 'again'], { cwd: proj, env });
      const deadline = Date.now() + 20_000;
      while (mock.bodies.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(mock.bodies.length).toBe(1);
      const busy = codex(['archive', rec.id], { env: { ...env, CODEX_TS_WRITER_LOCK_WAIT_MS: '0' } });
      expect(busy.status).toBe(1);
      expect(busy.stderr).toMatch(/already has an active writer: pid \d+ .*codex.* \[ROLLOUT_LOCKED\]/);
      expect((await running).status).toBe(0);
      expect(codex(['archive', rec.id], { env }).status).toBe(0);
    } finally {
      await mock.close();
    }
  });
});
