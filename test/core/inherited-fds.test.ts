// An fd that codex itself inherited (from an IDE, a shell, a supervisor: a directory outside the
// workspace, a connected socket) must never reach a sandboxed tool command. Before, only
// `codex sandbox` sealed them, and `codex exec` handed fd 30 below to every tool; Codex 0.169
// passes none.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type MockServer } from '../mock/server.js';
import { CODEX_BIN } from '../helpers/bin.js';
import { items, runCodex, scratch } from './_exec.js';

let mock: MockServer;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(async () => {
  await mock.close();
});

/** The fds a tool command sees, `codex exec -s MODE` having been started with fd 30 open on a file outside its workspace. */
async function toolFds(mode: string, tty: boolean, env: Record<string, string> = {}): Promise<string[]> {
  const { home, ws } = scratch(mock);
  fs.mkdirSync(path.join(ws, '.git'));
  const outside = path.join(path.dirname(ws), 'outside.txt');
  fs.writeFileSync(outside, 'secret\n');
  mock.push({ kind: 'call', name: 'exec_command', args: { cmd: 'echo "fds: $(ls /proc/self/fd | tr "\\n" " ")"', ...(tty ? { tty: true } : {}) } }, { kind: 'message', text: 'done' });
  // bash opens fd 30 without close-on-exec, as any parent process may leave one open.
  const r = await runCodex(['-c', 'exec 30<"$0"; exec "$@"', outside, CODEX_BIN, 'exec', '--json', '--skip-git-repo-check', '-s', mode, 'list the fds'], { home, cwd: ws, bin: '/bin/bash', env });
  expect(r.status, r.stderr).toBe(0);
  const out = String(items(r, 'command_execution')[0]?.aggregated_output ?? '');
  const m = /fds: ([\d ]+)/.exec(out);
  expect(m, out).not.toBeNull();
  return m![1]!.trim().split(/\s+/);
}

describe('codex exec: fds codex inherited do not reach tool commands', () => {
  it.each([
    ['read-only', false],
    ['workspace-write', false],
    ['workspace-write', true],
  ] as const)('%s (tty: %s)', async (mode, tty) => {
    const fds = await toolFds(mode, tty);
    expect(fds).toContain('1'); // the listing itself is real
    expect(fds).not.toContain('30');
  });

  it('read-only on the Landlock fallback (no usable bwrap)', async () => {
    const fds = await toolFds('read-only', false, { CODEX_TS_BWRAP: '/nonexistent/bwrap' });
    expect(fds).toContain('1');
    expect(fds).not.toContain('30');
  });

  it('without a sandbox the same fd reaches the command (the check above can fail)', async () => {
    expect(await toolFds('danger-full-access', false)).toContain('30');
  });
});
