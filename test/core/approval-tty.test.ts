// Approvals on a real terminal (a pty from util-linux `script`): the question is asked and the answer obeyed.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODEX_BIN } from '../helpers/bin.js';
import { startMock, type MockServer } from '../mock/server.js';
import { scratch, toolOutputs } from './_exec.js';

const SCRIPT = '/usr/bin/script';
let mock: MockServer;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(async () => {
  await mock.close();
});

function onTty(args: string[], home: string, cwd: string, answer: string | string[]): Promise<{ status: number | null; out: string; overlapped: boolean }> {
  const answers = Array.isArray(answer) ? [...answer] : [answer];
  const cmd = [CODEX_BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    const child = spawn(SCRIPT, ['-qfec', cmd, '/dev/null'], { cwd, env: { ...process.env, CODEX_HOME: home, MOCK_KEY: 'k' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let answered = 0;
    // A second question on screen before the first is answered would mean approvals overlap.
    let overlapped = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const asked = out.split('allow? [y/N]').length - 1;
      if (asked > answered + 1) overlapped = true;
      if (asked > answered && answers.length > 0) {
        answered++;
        child.stdin.write(answers.shift()! + '\n');
      }
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, out, overlapped });
    });
  });
}

describe.skipIf(!fs.existsSync(SCRIPT))(`approvals on a TTY${fs.existsSync(SCRIPT) ? '' : ` (skipped: no ${SCRIPT} (util-linux script) to give codex a terminal)`}`, () => {
  for (const [answer, made] of [
    ['y', true],
    ['n', false],
  ] as const) {
    it(`untrusted: asks before a non-safe command and obeys '${answer}'`, async () => {
      const { home, ws } = scratch(mock, 'approval_policy = "untrusted"');
      const before = mock.requests.length;
      mock.push({ kind: 'call', name: 'exec_command', args: { cmd: 'touch approved.txt' } });
      const r = await onTty(['exec', '--skip-git-repo-check', '-s', 'workspace-write', 'touch it'], home, ws, answer);
      expect(r.status, r.out).toBe(0);
      expect(r.out).toContain('approval needed: command is not on the safe list');
      expect(fs.existsSync(path.join(ws, 'approved.txt'))).toBe(made);
      const out = toolOutputs(mock.requests.slice(before)[1]!.body)[0]!;
      if (made) expect(out).toContain('Process exited with code 0');
      else expect(out).toMatch(/the user declined/);
    });
  }

  it('parallel calls of one response: their approval questions come one at a time, each answer obeyed', async () => {
    const { home, ws } = scratch(mock, 'approval_policy = "untrusted"');
    mock.push({ kind: 'calls', calls: ['a', 'b', 'c'].map((x) => ({ name: 'exec_command', args: { cmd: `touch ${x}.txt` } })) });
    const r = await onTty(['exec', '--skip-git-repo-check', '-s', 'workspace-write', 'touch three'], home, ws, ['y', 'n', 'y']);
    expect(r.status, r.out).toBe(0);
    expect(r.overlapped).toBe(false);
    expect(r.out.split('allow? [y/N]').length - 1).toBe(3);
    // Questions are answered in the order they were asked; the calls ask in call order.
    expect(['a', 'b', 'c'].map((x) => fs.existsSync(path.join(ws, `${x}.txt`)))).toEqual([true, false, true]);
  });
});
