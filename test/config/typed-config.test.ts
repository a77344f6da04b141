// The typed config end to end, against the built binary: a wrong type is one line naming file, line
// and key with exit 1 (0.169 also refuses with 1, naming only the key); unknown keys are one warning
// at the start of an exec session (0.169 likewise warns and runs); -m and -c land in the request.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codex, referenceCodex, REFERENCE_MISSING_REASON, run, tempDir } from '../helpers/bin.js';
import { startMock, type MockServer } from '../mock/server.js';
import { runCodex, scratch } from '../core/_exec.js';

let mock: MockServer;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(async () => {
  await mock.close();
});

function home(text: string): string {
  const h = tempDir('codex-typed-');
  fs.writeFileSync(path.join(h, 'config.toml'), text);
  return h;
}

describe('a value of the wrong type', () => {
  it('is one line naming the file, the line and the key, exit 1, for every command that loads the config', () => {
    const h = home('# mine\napproval_policy = "never"\n\nmodel = 5\n');
    const want = `codex: ${path.join(h, 'config.toml')}:4: \`model\` must be a string, got integer 5 [CONFIG_TYPE]\n`;
    for (const args of [['features', 'list'], ['exec', '--skip-git-repo-check', 'hi']]) {
      const r = codex(args, { env: { ...process.env, CODEX_HOME: h }, input: '' });
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr).toBe(want);
      expect(r.stdout).toBe('');
    }
  });

  it('from -c, names the argument', () => {
    const r = codex(['-c', 'sandbox_workspace_write.network_access="yes"', 'sandbox', '--', '/bin/true'], { env: { ...process.env, CODEX_HOME: tempDir('codex-typed-') } });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('codex: -c sandbox_workspace_write.network_access="yes": `sandbox_workspace_write.network_access` must be a boolean, got string "yes" [CONFIG_TYPE]\n');
  });

  const ref = referenceCodex();
  it.skipIf(!ref)(`Codex 0.169 refuses the same file with status 1${ref ? '' : ` (skipped: ${REFERENCE_MISSING_REASON})`}`, () => {
    const h = home('model = 5\n');
    const r = run(ref!, ['features', 'list'], { env: { ...process.env, CODEX_HOME: h } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('invalid type: integer `5`, expected a string');
  });
});

describe('unknown keys', () => {
  it('are one warning event at the start of an exec session, which then runs', async () => {
    const { home: h, ws } = scratch(mock, 'bogus_key = 1\n[sandbox_workspace_write]\nfoo = true\n');
    mock.push({ kind: 'message', text: 'done' });
    const r = await runCodex(['exec', '--json', '--skip-git-repo-check', '-c', 'cbogus=2', 'hi'], { home: h, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    const warnings = r.events.filter((e) => e.type === 'item.completed' && e.item?.type === 'error').map((e) => e.item.message as string);
    const file = path.join(h, 'config.toml');
    expect(warnings.filter((w) => w.includes('unrecognized'))).toEqual([
      `ignoring 3 unrecognized configuration settings (a typo, or a key of another Codex version): \`bogus_key\` (${file}:3), \`sandbox_workspace_write.foo\` (${file}:5), \`cbogus\` (-c cbogus=2)`,
    ]);
  });

  it('draw nothing from commands other than a session (as 0.169: `features list` stays quiet)', () => {
    const r = codex(['features', 'list'], { env: { ...process.env, CODEX_HOME: home('bogus_key = 1\n') } });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('flags and overrides reach the request through the typed config', () => {
  it('-m beats -c model, which beats the file', async () => {
    const { home: h, ws } = scratch(mock);
    const before = mock.requests.length;
    mock.push({ kind: 'message', text: 'a' }, { kind: 'message', text: 'b' });
    expect((await runCodex(['exec', '--skip-git-repo-check', '-c', 'model=from-c', 'hi'], { home: h, cwd: ws })).status).toBe(0);
    expect((await runCodex(['exec', '--skip-git-repo-check', '-c', 'model=from-c', '-m', 'from-flag', 'hi'], { home: h, cwd: ws })).status).toBe(0);
    const models = mock.requests.slice(before).map((q) => (q.body as { model: string }).model);
    expect(models).toEqual(['from-c', 'from-flag']);
  });
});
