// Unified exec, parallel calls, shell apply_patch, fail-fast model errors and the request/rollout
// details of issue 16, each driven through the scripted loopback Responses server and the binary.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_ID, startMock, type MockServer } from '../mock/server.js';
import { items, rolloutOf, runCodex, runCodexStdin, scratch, toolOutputs } from './_exec.js';

let mock: MockServer;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(async () => {
  await mock.close();
});
// Every scripted step must be used by the test that pushed it; none may answer the next test.
afterEach(() => {
  const left = mock.pending();
  mock.reset();
  expect(left, 'scripted steps left unused').toBe(0);
});

const X = ['exec', '--json', '--skip-git-repo-check'];
const WW = [...X, '-s', 'workspace-write'];

/** Tool outputs the model got, in order (the last request holds them all). */
function outputsSince(before: number): string[] {
  expect(mock.requests.length).toBeGreaterThan(before);
  return toolOutputs(mock.requests.at(-1)!.body);
}

/** Pids of live processes whose command line contains `marker`. */
function livePids(marker: string): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(marker) && !cmd.includes('vitest')) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

describe('unified exec: exec_command and write_stdin', () => {
  it('a command that outlives its yield keeps running and is polled to its end by session id', async () => {
    const { home, ws } = scratch(mock);
    const before = mock.requests.length;
    mock.push(
      { kind: 'call', name: 'exec_command', args: { cmd: 'echo start; sleep 3; echo end > done.txt; echo end', yield_time_ms: 1500 } },
      // The longest poll there is: only the command's end can make it return within the run's time limit.
      { kind: 'call', name: 'write_stdin', args: { session_id: SESSION_ID, chars: '', yield_time_ms: 300000 } },
      { kind: 'message', text: 'finished' },
    );
    const r = await runCodex([...WW, 'long job'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    const outs = outputsSince(before);
    expect(outs[0]).toMatch(/^Chunk ID: [0-9a-f]{6}\nWall time: 1\.\d+ seconds\nProcess running with session ID \d+\nOriginal token count: \d+\nOutput:\n/);
    expect(outs[0]).toContain('start');
    expect(outs[0]).not.toContain('end');
    // The poll returned when the command ended, with what it printed since.
    expect(outs[1]).toMatch(/Process exited with code 0/);
    expect(outs[1]).toContain('end');
    expect(outs[1]).not.toContain('start');
    expect(fs.readFileSync(path.join(ws, 'done.txt'), 'utf8')).toBe('end\n');
    const cmds = items(r, 'command_execution');
    expect(cmds).toHaveLength(1);
    expect(cmds[0]).toMatchObject({ exit_code: 0, status: 'completed' });
    expect(cmds[0].aggregated_output).toMatch(/start\n[\s\S]*end\n/);
  });

  it('tty: true runs on a pseudo-terminal that write_stdin types into', async () => {
    const { home, ws } = scratch(mock);
    const before = mock.requests.length;
    mock.push(
      { kind: 'call', name: 'exec_command', args: { cmd: 'test -t 0 && echo is-a-tty; read line; echo "got:$line"; read again', tty: true, yield_time_ms: 2000 } },
      { kind: 'call', name: 'write_stdin', args: { session_id: SESSION_ID, chars: 'hello\n', yield_time_ms: 1000 } },
      { kind: 'call', name: 'write_stdin', args: { session_id: SESSION_ID, chars: 'bye\n', yield_time_ms: 3000 } },
      { kind: 'message', text: 'ok' },
    );
    const r = await runCodex([...WW, 'tty'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    const outs = outputsSince(before);
    expect(outs[0]).toContain('is-a-tty');
    expect(outs[0]).toMatch(/Process running with session ID (\d+)/);
    const id = /session ID (\d+)/.exec(outs[0]!)![1];
    expect(outs[1]).toContain(`session ID ${id}`);
    expect(outs[1]).toContain('got:hello');
    expect(outs[2]).toMatch(/Process exited with code 0/);
    expect(items(r, 'command_execution')[0]).toMatchObject({ status: 'completed', exit_code: 0 });
  });

  it('write_stdin to a pipe session or an unknown id says what to do', async () => {
    const { home, ws } = scratch(mock);
    const before = mock.requests.length;
    mock.push(
      { kind: 'call', name: 'exec_command', args: { cmd: 'sleep 2', yield_time_ms: 250 } },
      { kind: 'call', name: 'write_stdin', args: { session_id: SESSION_ID, chars: 'x' } },
      { kind: 'call', name: 'write_stdin', args: { session_id: 4, chars: '' } },
      { kind: 'message', text: 'ok' },
    );
    const r = await runCodex([...WW, 'pipes'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    const outs = outputsSince(before);
    expect(outs[1]).toMatch(/no terminal.*tty: true/);
    expect(outs[2]).toMatch(/no running command has session ID 4/);
  });

  it('commands still running when the turn ends are killed, their items end as failed', async () => {
    const { home, ws } = scratch(mock);
    const marker = `sleep 41.${process.pid}`;
    mock.push({ kind: 'call', name: 'exec_command', args: { cmd: `${marker}; touch survived`, yield_time_ms: 250 } }, { kind: 'message', text: 'leaving it' });
    const r = await runCodex([...WW, 'leave it running'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(livePids(marker)).toEqual([]);
    const cmd = items(r, 'command_execution')[0];
    expect(cmd).toMatchObject({ status: 'failed', exit_code: null });
    expect(r.events.at(-1)!.type).toBe('turn.completed');
    expect(fs.existsSync(path.join(ws, 'survived'))).toBe(false);
  });

  it('Ctrl-C kills a command that outlived its yield', async () => {
    const { home, ws } = scratch(mock);
    const marker = `sleep 42.${process.pid}`;
    mock.push(
      { kind: 'call', name: 'exec_command', args: { cmd: marker, yield_time_ms: 250 } },
      { kind: 'call', name: 'write_stdin', args: { session_id: SESSION_ID, chars: '', yield_time_ms: 60000 } },
    );
    let pid = 0;
    const run = runCodex([...WW, 'wait long'], { home, cwd: ws, onSpawn: (p) => (pid = p) });
    // Interrupt while write_stdin waits on the command (both steps taken).
    for (let i = 0; i < 200 && (livePids(marker).length === 0 || mock.pending() > 0); i++) await new Promise((r) => setTimeout(r, 100));
    expect(livePids(marker).length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    process.kill(pid, 'SIGINT');
    const r = await run;
    expect(r.status).toBe(130);
    expect(livePids(marker)).toEqual([]);
  });

  it('CODEX_SANDBOX is set only when the command runs sandboxed; CODEX_SANDBOX_NETWORK_DISABLED when the network is off', async () => {
    const cmd = 'echo "sb=[$CODEX_SANDBOX] net=[$CODEX_SANDBOX_NETWORK_DISABLED]"';
    const { home, ws } = scratch(mock);
    mock.push({ kind: 'call', name: 'exec_command', args: { cmd } }, { kind: 'message', text: 'ok' });
    const r = await runCodex([...WW, 'env'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(items(r, 'command_execution')[0].aggregated_output).toContain('sb=[seccomp] net=[1]');
    // 0.169's command environment: no pagers or colours, a dumb terminal, UTF-8, who runs it.
    mock.push({ kind: 'call', name: 'exec_command', args: { cmd: 'echo "$PAGER $GIT_PAGER $NO_COLOR $TERM $LC_ALL $CODEX_CI $CODEX_THREAD_ID $CODEX_TOOL_CALL_ID"' }, callId: 'call-env' }, { kind: 'message', text: 'ok' });
    const r3 = await runCodex([...WW, 'env'], { home, cwd: ws, env: { PAGER: 'less', TERM: 'xterm' } });
    expect(items(r3, 'command_execution')[0].aggregated_output).toContain(`cat cat 1 dumb C.UTF-8 1 ${r3.events[0]!.thread_id} call-env`);
    mock.push({ kind: 'call', name: 'exec_command', args: { cmd } }, { kind: 'message', text: 'ok' });
    const r2 = await runCodex([...X, '-s', 'danger-full-access', 'env'], { home, cwd: ws });
    expect(r2.status, r2.stderr).toBe(0);
    expect(items(r2, 'command_execution')[0].aggregated_output).toContain('sb=[] net=[]');
  });
});

describe('parallel tool calls', () => {
  it('calls of one response run at the same time; outputs go back in call order', async () => {
    const { home, ws } = scratch(mock);
    // Each call notes when it started and ended; run side by side, every start precedes every end.
    mock.push(
      {
        kind: 'calls',
        calls: ['a', 'b', 'c'].map((x) => ({ name: 'exec_command', args: { cmd: `date +%s%N > start-${x}; sleep 1.5; date +%s%N > end-${x}; echo out-${x}` }, callId: `call-${x}` })),
      },
      { kind: 'message', text: 'ok' },
    );
    const r = await runCodex([...WW, 'three at once'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    const at = (f: string) => BigInt(fs.readFileSync(path.join(ws, f), 'utf8').trim());
    const starts = ['a', 'b', 'c'].map((x) => at(`start-${x}`));
    const ends = ['a', 'b', 'c'].map((x) => at(`end-${x}`));
    const latestStart = starts.reduce((m, v) => (v > m ? v : m));
    const earliestEnd = ends.reduce((m, v) => (v < m ? v : m));
    expect(latestStart < earliestEnd).toBe(true);
    const input = (mock.requests.at(-1)!.body as { input: { type: string; call_id?: string; output?: string }[] }).input;
    const outs = input.filter((i) => i.type === 'function_call_output');
    expect(outs.map((o) => o.call_id)).toEqual(['call-a', 'call-b', 'call-c']);
    expect(outs.map((o) => /out-(\w)/.exec(o.output!)![1])).toEqual(['a', 'b', 'c']);
  });
});

describe('apply_patch through the shell', () => {
  const patch = (file: string, line: string) => `*** Begin Patch\n*** Add File: ${file}\n+${line}\n*** End Patch`;

  it('heredoc, quoted argument and cd forms apply as the patch tool, with file_change events', async () => {
    const { home, ws } = scratch(mock);
    fs.mkdirSync(path.join(ws, 'sub'));
    mock.push(
      { kind: 'call', name: 'exec_command', args: { cmd: `apply_patch <<'EOF'\n${patch('one.txt', 'first')}\nEOF\n` } },
      { kind: 'call', name: 'exec_command', args: { cmd: `applypatch <<EOF\n${patch('two.txt', 'second')}\nEOF` } },
      { kind: 'call', name: 'exec_command', args: { cmd: `cd sub && apply_patch '${patch('three.txt', 'third')}'` } },
      { kind: 'call', name: 'shell', args: { command: ['apply_patch', patch('four.txt', 'fourth')] } },
      { kind: 'message', text: 'patched' },
    );
    const r = await runCodex([...WW, 'patch via shell'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(ws, 'one.txt'), 'utf8')).toBe('first\n');
    expect(fs.readFileSync(path.join(ws, 'two.txt'), 'utf8')).toBe('second\n');
    expect(fs.readFileSync(path.join(ws, 'sub', 'three.txt'), 'utf8')).toBe('third\n');
    expect(fs.readFileSync(path.join(ws, 'four.txt'), 'utf8')).toBe('fourth\n');
    expect(items(r, 'command_execution')).toHaveLength(0);
    const changes = items(r, 'file_change');
    expect(changes.map((c) => c.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(changes[2].changes).toEqual([{ path: path.join(fs.realpathSync(ws), 'sub', 'three.txt'), kind: 'add' }]);
    const lines = rolloutOf(home, r.events[0]!.thread_id).lines;
    const recorded = lines.filter((l) => l.payload.type === 'item_completed' && l.payload.item.type === 'FileChange');
    expect(recorded.map((l) => Object.values(l.payload.item.changes))).toEqual(Array.from({ length: 4 }, () => [{ type: 'add' }]));
  });

  it('a shell apply_patch outside the writable roots is refused by the same policy check', async () => {
    const { home, ws } = scratch(mock);
    const target = `/etc/codex-ts-shell-patch-${process.pid}.txt`;
    mock.push({ kind: 'call', name: 'exec_command', args: { cmd: `cd /etc && apply_patch <<'EOF'\n${patch(path.basename(target), 'no')}\nEOF` } }, { kind: 'message', text: 'ok' });
    const r = await runCodex([...WW, 'patch outside'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.existsSync(target)).toBe(false);
    expect(items(r, 'file_change')[0].status).toBe('declined');
    expect(toolOutputs(mock.requests.at(-1)!.body)[0]).toMatch(/apply_patch refused.*outside the writable roots.*approval_policy = never/);
  });
});

describe('model errors: only what can succeed is retried', () => {
  const cases: { name: string; step: Parameters<MockServer['push']>[0]; code: string; hint: RegExp; info: string }[] = [
    {
      name: 'context window (response.failed)',
      step: { kind: 'failed', message: 'Your input exceeds the context window of this model.' },
      code: 'MODEL_CONTEXT_WINDOW',
      hint: /context window.*start a new session/,
      info: 'context_window_exceeded',
    },
    {
      name: 'quota (429 insufficient_quota)',
      step: { kind: 'status', status: 429, body: '{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}' },
      code: 'MODEL_QUOTA',
      hint: /quota exceeded.*check your plan and billing/,
      info: 'usage_limit_exceeded',
    },
    {
      name: '400',
      step: { kind: 'status', status: 400, body: '{"error":{"message":"Unsupported parameter: foo","type":"invalid_request_error"}}' },
      code: 'MODEL_BAD_REQUEST',
      hint: /Unsupported parameter: foo.*check `model`/,
      info: 'bad_request',
    },
  ];
  for (const c of cases) {
    it(`${c.name}: fails at once with what to do; task_complete carries the error`, async () => {
      const { home, ws } = scratch(mock);
      // A retry would get the mock's default answer and succeed: the exit status would show it.
      mock.push(c.step);
      const before = mock.requests.length;
      const r = await runCodex([...X, 'hi'], { home, cwd: ws });
      expect(r.status).toBe(1);
      expect(mock.requests.length - before).toBe(1);
      expect(r.events.filter((e) => e.type === 'error' && /Reconnecting/.test(e.message))).toEqual([]);
      const failed = r.events.at(-1)!;
      expect(failed.type).toBe('turn.failed');
      expect(failed.error.message).toMatch(c.hint);
      const lines = rolloutOf(home, r.events[0]!.thread_id).lines;
      expect(lines.at(-1)!.payload).toMatchObject({ type: 'task_complete', error: { codex_error_info: c.info } });
      // The human transcript: once, with the code.
      mock.push(c.step);
      const h = await runCodex(['exec', '--skip-git-repo-check', 'hi'], { home, cwd: ws });
      expect(h.status).toBe(1);
      expect(h.stderr).toContain(`[${c.code}]`);
      const key = failed.error.message.slice(0, 30);
      expect(h.stderr.split(key).length - 1).toBe(1);
    });
  }

  it('429 without Retry-After and 503 are retried, then succeed', async () => {
    const { home, ws } = scratch(mock);
    mock.push({ kind: 'status', status: 429, body: '{"error":{"message":"Rate limit reached","type":"rate_limit_exceeded"}}' }, { kind: 'status', status: 503 }, { kind: 'message', text: 'third time' });
    const r = await runCodex([...X, 'hi'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(r.events.filter((e) => e.type === 'error' && /^Reconnecting\.\.\. [12]\/3/.test(e.message))).toHaveLength(2);
    expect(items(r, 'agent_message').map((m) => m.text)).toEqual(['third time']);
  });
});

describe('input, request and rollout', () => {
  it('piped stdin is appended to the prompt as a <stdin> block', async () => {
    const { home, ws } = scratch(mock);
    mock.push({ kind: 'message', text: 'ok' });
    const r = await runCodexStdin([...X, 'summarize this'], 'line one\nline two\n', { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    const input = (mock.requests.at(-1)!.body as { input: { role?: string; content?: { text: string }[] }[] }).input;
    const user = input.filter((i) => i.role === 'user').at(-1)!;
    expect(user.content![0]!.text).toBe('summarize this\n\n<stdin>\nline one\nline two\n</stdin>');
  });

  it('AGENTS.md: $CODEX_HOME first, then repository root down to cwd, size-capped, next to the environment context', async () => {
    const { home, ws } = scratch(mock, 'project_doc_max_bytes = 40');
    spawnSync('git', ['init', '-q', ws]);
    fs.mkdirSync(path.join(ws, 'pkg', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(home, 'AGENTS.md'), 'home rules\n');
    fs.writeFileSync(path.join(ws, 'AGENTS.md'), 'root rules\n');
    fs.writeFileSync(path.join(ws, 'pkg', 'AGENTS.md'), 'pkg rules\n');
    fs.writeFileSync(path.join(ws, 'pkg', 'deep', 'AGENTS.md'), 'deep rules that go past the cap\n');
    mock.push({ kind: 'message', text: 'ok' });
    const cwd = path.join(ws, 'pkg', 'deep');
    const r = await runCodex([...X, 'hi'], { home, cwd });
    expect(r.status, r.stderr).toBe(0);
    const input = (mock.requests.at(-1)!.body as { input: { role?: string; content?: { text: string }[] }[] }).input;
    const ctx = input.find((i) => i.role === 'user' && i.content!.length === 2)!;
    const real = fs.realpathSync(cwd);
    // 40 bytes of project docs: root (11) + pkg (10) + the first 19 bytes of deep.
    expect(ctx.content![0]!.text).toBe(`# AGENTS.md instructions for ${real}\n\n<INSTRUCTIONS>\nhome rules\n\n--- project-doc ---\n\nroot rules\n\n\npkg rules\n\n\ndeep rules that go \n</INSTRUCTIONS>`);
    expect(ctx.content![1]!.text).toMatch(/^<environment_context>/);
    // Nothing about AGENTS.md in the --json stream (as 0.169).
    expect(r.stdout).not.toContain('AGENTS');
  });

  it("0.169's headers, session_meta.git, token_count with the context window, a complete base prompt", async () => {
    const { home, ws } = scratch(mock);
    const git = (...a: string[]) => spawnSync('git', ['-C', ws, ...a], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
    git('init', '-q', '-b', 'feature-x');
    fs.writeFileSync(path.join(ws, 'f.txt'), 'x');
    git('add', 'f.txt');
    git('commit', '-qm', 'one');
    git('remote', 'add', 'origin', 'https://example.com/acme/widget.git');
    const head = git('rev-parse', 'HEAD').stdout.trim();
    mock.push({ kind: 'message', text: 'ok' });
    const r = await runCodex([...X, 'hi'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    const id = r.events[0]!.thread_id;
    const req = mock.requests.at(-1)!;
    expect(req.headers['user-agent']).toMatch(/^codex_exec\/\S+ \(.+; .+\) .+ \(codex_exec; \S+\)$/);
    expect(req.headers['session-id']).toBe(id);
    expect(req.headers['thread-id']).toBe(id);
    expect(req.headers['x-client-request-id']).toBe(id);
    expect(req.headers.originator).toBe('codex_exec');
    expect(req.headers.session_id).toBeUndefined();
    expect(JSON.parse(String(req.headers['x-codex-turn-metadata']))).toMatchObject({ session_id: id, thread_id: id, sandbox_mode: 'read-only' });
    const body = req.body as { instructions: string };
    expect(body.instructions.length).toBeGreaterThan(3000);
    for (const topic of ['exec_command', 'write_stdin', 'apply_patch', '*** Begin Patch', 'require_escalated', 'AGENTS.md', 'update_plan']) expect(body.instructions).toContain(topic);
    const lines = rolloutOf(home, id).lines;
    expect(lines[0]!.payload.git).toEqual({ commit_hash: head, branch: 'feature-x', repository_url: 'https://example.com/acme/widget.git' });
    const tc = lines.find((l) => l.payload.type === 'token_count')!;
    expect(tc.payload.info.model_context_window).toBe(258400);
  });
});

describe('shell snapshot', () => {
  it("login commands run on the session's snapshot of the profile: its variables and functions, without running it again", async () => {
    const { home, ws } = scratch(mock);
    const fakeHome = path.join(path.dirname(home), 'user-home');
    fs.mkdirSync(fakeHome);
    fs.writeFileSync(path.join(fakeHome, '.bash_profile'), 'echo profile-ran >&2\necho profile-stdout-noise\nexport FROM_PROFILE=yes\nmyfn() { echo fn-works; }\nshopt -s extglob\n');
    const cmd = 'echo "var=$FROM_PROFILE"; myfn; shopt -q extglob && echo extglob-on';
    mock.push(
      { kind: 'call', name: 'exec_command', args: { cmd } },
      { kind: 'call', name: 'exec_command', args: { cmd }, delayMs: 1500 },
      { kind: 'call', name: 'exec_command', args: { cmd: 'echo "var=$FROM_PROFILE"', login: false } },
      { kind: 'message', text: 'ok' },
    );
    const r = await runCodex([...WW, 'snapshot'], { home, cwd: ws, env: { HOME: fakeHome } });
    expect(r.status, r.stderr).toBe(0);
    const outs = items(r, 'command_execution').map((c) => c.aggregated_output as string);
    for (const o of outs.slice(0, 2)) expect(o).toMatch(/var=yes\nfn-works\nextglob-on/);
    // By the second command the snapshot stands in for the profile.
    expect(outs[1]).not.toContain('profile-ran');
    expect(outs[1]).not.toContain('profile-stdout-noise');
    // The command as shown is still the login form.
    expect(items(r, 'command_execution')[1].command).toBe(`/bin/bash -lc '${cmd.replace(/'/g, `'\\''`)}'`);
    // login: false gets neither the profile nor the snapshot.
    expect(outs[2]).toBe('var=\n');
    // The snapshot file is gone with the session.
    expect(fs.readdirSync(path.join(home, 'shell_snapshots'))).toEqual([]);
  });
});
