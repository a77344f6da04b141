// `codex exec` against the scripted loopback Responses server: tools, sandbox, errors, retries, rollout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type MockServer } from '../mock/server.js';
import { items, rolloutOf, runCodex, runCodexStdin, scratch, toolOutputs } from './_exec.js';

let mock: MockServer;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(async () => {
  await mock.close();
});

const X = ['exec', '--json', '--skip-git-repo-check'];

function checkRolloutBasics(home: string, id: string) {
  const { lines } = rolloutOf(home, id);
  const [meta] = lines;
  expect(meta?.type).toBe('session_meta');
  expect(meta?.payload.id).toBe(id);
  expect(meta?.payload.originator).toBe('codex_exec');
  lines.forEach((l, i) => expect(l.ordinal).toBe(i));
  return lines;
}

describe('codex exec: sandboxed commands', () => {
  it('runs a command that writes inside the workspace and reports one denied outside it', async () => {
    const outside = `/etc/codex-ts-denied-${process.pid}`;
    const { home, ws } = scratch(mock);
    const before = mock.requests.length;
    mock.push(
      { kind: 'call', name: 'exec_command', args: { cmd: 'echo hi-inside > inside.txt && cat inside.txt' } },
      { kind: 'call', name: 'exec_command', args: { cmd: `echo nope > ${outside}` } },
      { kind: 'message', text: 'all done' },
    );
    const r = await runCodex([...X, '-s', 'workspace-write', 'write two files'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(ws, 'inside.txt'), 'utf8')).toBe('hi-inside\n');
    expect(fs.existsSync(outside)).toBe(false);
    const cmds = items(r, 'command_execution');
    expect(cmds).toHaveLength(2);
    expect(cmds[0].command).toBe("/bin/bash -lc 'echo hi-inside > inside.txt && cat inside.txt'");
    expect(cmds[0].exit_code).toBe(0);
    expect(cmds[0].aggregated_output).toContain('hi-inside');
    expect(cmds[1].exit_code).not.toBe(0);
    expect(cmds[1].status).toBe('failed');
    expect(items(r, 'agent_message').map((m) => m.text)).toEqual(['all done']);
    expect(r.events.at(-1)!.type).toBe('turn.completed');
    // The model was told about the denial.
    const reqs = mock.requests.slice(before);
    expect(reqs).toHaveLength(3);
    const outs = toolOutputs(reqs[2]!.body);
    expect(outs[0]).toContain('Process exited with code 0');
    expect(outs[1]).toMatch(/Read-only file system|Permission denied/);
    const body = reqs[0]!.body as Record<string, any>;
    expect(body).toMatchObject({ model: 'mock-model', tool_choice: 'auto', parallel_tool_calls: true, store: false, stream: true, prompt_cache_key: r.events[0]!.thread_id });
    expect(body.tools.map((t: any) => t.name)).toEqual(['exec_command', 'write_stdin', 'apply_patch', 'update_plan']);
    expect(reqs[0]!.headers.authorization).toBe('Bearer test-key');
    expect(body.reasoning).toEqual({ summary: 'auto' });
    const lines = checkRolloutBasics(home, r.events[0]!.thread_id);
    const outputs = lines.filter((l) => l.type === 'response_item' && l.payload.type === 'function_call_output');
    expect(outputs).toHaveLength(2);
    expect(lines.at(-1)!.payload.type).toBe('task_complete');
  });

  it('keeps head and tail of huge output within the budget, in the tool output and in the rollout', async () => {
    const { home, ws } = scratch(mock);
    const before = mock.requests.length;
    mock.push(
      { kind: 'call', name: 'exec_command', args: { cmd: 'seq 1 300000' } },
      { kind: 'call', name: 'exec_command', args: { cmd: "head -c 3000000 /dev/zero | tr '\\0' a", max_output_tokens: 100 } },
    );
    const r = await runCodex([...X, '-s', 'workspace-write', 'big'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    const outs = toolOutputs(mock.requests.slice(before)[2]!.body);
    expect(Buffer.byteLength(outs[0]!)).toBeLessThan(11 * 1024);
    expect(outs[0]).toMatch(/\n1\n2\n3\n/);
    // The real end of the stream, whole lines.
    expect(outs[0]).toMatch(/\n299999\n300000\n$/);
    expect(outs[0]).toMatch(/\[… \d+ bytes \(about \d+ tokens\) cut from the middle of \d+ …\]/);
    expect(outs[0]).toMatch(/Original token count: 49\d{4}/);
    // max_output_tokens 100 → about 400 bytes of output.
    const tail = outs[1]!.slice(outs[1]!.indexOf('Output:\n') + 8);
    expect(Buffer.byteLength(tail)).toBeLessThan(600);
    expect(tail).toMatch(/cut from the middle of 300\d{4} …\]\na+$/);
    const { file, lines } = rolloutOf(home, r.events[0]!.thread_id);
    // The rollout holds the same bounded text, not the megabytes.
    expect(fs.statSync(file).size).toBeLessThan(80 * 1024);
    const ends = lines.filter((l) => l.payload.type === 'item_completed' && l.payload.item.type === 'CommandExecution');
    expect(ends).toHaveLength(2);
    for (const e of ends) expect(Buffer.byteLength(e.payload.item.aggregated_output)).toBeLessThan(11 * 1024);
    expect(ends[0]!.payload.item.aggregated_output).toMatch(/300000\n$/);
  });

  it('declines a non-safe command under approval_policy=untrusted without a TTY, and says so', async () => {
    const { home, ws } = scratch(mock, 'approval_policy = "untrusted"');
    const before = mock.requests.length;
    mock.push({ kind: 'call', name: 'exec_command', args: { cmd: 'touch should-not-exist' } });
    const r = await runCodex([...X, '-s', 'workspace-write', 'touch'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(ws, 'should-not-exist'))).toBe(false);
    expect(items(r, 'error').some((e) => /no TTY/.test(e.message))).toBe(true);
    expect(items(r, 'command_execution')[0].status).toBe('declined');
    expect(toolOutputs(mock.requests.slice(before)[1]!.body)[0]).toMatch(/approval required .* no TTY/);
  });

  it('rejects an escalation request under approval_policy=never', async () => {
    const { home, ws } = scratch(mock);
    const before = mock.requests.length;
    mock.push({ kind: 'call', name: 'exec_command', args: { cmd: 'echo hi', sandbox_permissions: 'require_escalated' } });
    const r = await runCodex([...X, 'escalate'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(toolOutputs(mock.requests.slice(before)[1]!.body)[0]).toMatch(/not allowed \(approval_policy = never\)/);
  });
  it('on-failure: a sandbox denial is not retried unsandboxed without a TTY, and the stream says so', async () => {
    const { home, ws } = scratch(mock, 'approval_policy = "on-failure"');
    const outside = `/etc/codex-ts-onfail-${process.pid}`;
    mock.push({ kind: 'call', name: 'exec_command', args: { cmd: `echo x > ${outside}` } });
    const r = await runCodex([...X, '-s', 'workspace-write', 'denied'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.existsSync(outside)).toBe(false);
    expect(items(r, 'error').some((e) => /sandbox denied .*needs approval.*no TTY/.test(e.message))).toBe(true);
  });

  it('takes the prompt from stdin with -', async () => {
    const { home, ws } = scratch(mock);
    const before = mock.requests.length;
    const r = await runCodexStdin([...X, '-'], 'prompt from stdin', { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    const input = (mock.requests[before]!.body as { input: { content?: { text: string }[] }[] }).input;
    expect(input.at(-1)!.content![0]!.text).toBe('prompt from stdin');
  });
});

describe('codex exec: apply_patch and other tools', () => {
  it('refuses a patch that writes outside the writable roots or into .git, and tells the model why', async () => {
    const { home, ws } = scratch(mock);
    fs.mkdirSync(path.join(ws, '.git'));
    const before = mock.requests.length;
    const out = `/etc/codex-ts-patch-${process.pid}`;
    mock.push(
      { kind: 'call', name: 'apply_patch', args: { input: `*** Begin Patch\n*** Add File: ${out}\n+x\n*** End Patch\n` } },
      { kind: 'call', name: 'apply_patch', args: { input: '*** Begin Patch\n*** Add File: .git/hooks/evil\n+x\n*** End Patch\n' } },
    );
    const r = await runCodex([...X, '-s', 'workspace-write', 'patch'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(path.join(ws, '.git/hooks/evil'))).toBe(false);
    const outs = toolOutputs(mock.requests.slice(before)[2]!.body);
    expect(outs[0]).toMatch(/refused.*outside the writable roots/);
    expect(outs[1]).toMatch(/refused.*protected path \.git/);
    const fc = items(r, 'file_change');
    expect(fc.map((f) => f.status)).toEqual(['declined', 'declined']);
  });

  it('under on-request, a patch outside the roots needs approval: without a TTY it is declined and nothing changes', async () => {
    const { home, ws } = scratch(mock, 'approval_policy = "on-request"');
    const out = `/etc/codex-ts-patch-req-${process.pid}`;
    const before = mock.requests.length;
    mock.push({ kind: 'call', name: 'apply_patch', args: { input: `*** Begin Patch\n*** Add File: ${out}\n+x\n*** End Patch\n` } });
    const r = await runCodex([...X, '-s', 'workspace-write', 'patch'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.existsSync(out)).toBe(false);
    expect(toolOutputs(mock.requests.slice(before)[1]!.body)[0]).toMatch(/needs approval and there is no TTY to ask: declined/);
    expect(items(r, 'error').some((e) => /apply_patch refused/.test(e.message))).toBe(true);
  });

  it('applies a patch inside the workspace through the apply_patch program', async () => {
    const { home, ws } = scratch(mock);
    fs.writeFileSync(path.join(ws, 'greet.txt'), 'hello\nworld\n');
    const before = mock.requests.length;
    mock.push({
      kind: 'call',
      name: 'apply_patch',
      args: { input: '*** Begin Patch\n*** Update File: greet.txt\n@@\n hello\n-world\n+patched world\n*** Add File: new.txt\n+fresh\n*** End Patch\n' },
    });
    const r = await runCodex([...X, '-s', 'workspace-write', 'patch it'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    const out = toolOutputs(mock.requests.slice(before)[1]!.body)[0]!;
    expect(out).toContain('Success');
    expect(fs.readFileSync(path.join(ws, 'greet.txt'), 'utf8')).toBe('hello\npatched world\n');
    expect(fs.readFileSync(path.join(ws, 'new.txt'), 'utf8')).toBe('fresh\n');
    expect(items(r, 'file_change')[0]).toMatchObject({ status: 'completed', changes: [{ kind: 'update' }, { kind: 'add' }] });
  });

  it('sends a large patch through stdin, and accepts apply_patch as a custom (freeform) tool call', async () => {
    const { home, ws } = scratch(mock);
    const big = Array.from({ length: 5000 }, (_, i) => `+line ${i} ${'x'.repeat(20)}`).join('\n');
    const before = mock.requests.length;
    mock.push(
      { kind: 'call', name: 'apply_patch', args: { input: `*** Begin Patch\n*** Add File: big.txt\n${big}\n*** End Patch\n` } },
      { kind: 'custom_call', name: 'apply_patch', input: '*** Begin Patch\n*** Add File: free.txt\n+freeform\n*** End Patch\n' },
    );
    const r = await runCodex([...X, '-s', 'workspace-write', 'big'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    const outs = toolOutputs(mock.requests.slice(before)[2]!.body);
    expect(outs[0]).toContain('Success');
    expect(fs.readFileSync(path.join(ws, 'big.txt'), 'utf8').split('\n')).toHaveLength(5001);
    expect(outs[1]).toContain('Success');
    expect(fs.readFileSync(path.join(ws, 'free.txt'), 'utf8')).toBe('freeform\n');
    const { lines } = rolloutOf(home, r.events[0]!.thread_id);
    expect(lines.some((l) => l.type === 'response_item' && l.payload.type === 'custom_tool_call_output')).toBe(true);
  });

  it('tells the model about an unknown tool and keeps going; update_plan becomes a todo_list', async () => {
    const { home, ws } = scratch(mock);
    const before = mock.requests.length;
    mock.push(
      { kind: 'call', name: 'frobnicate', args: { x: 1 } },
      { kind: 'call', name: 'update_plan', args: { plan: [{ step: 'look', status: 'completed' }, { step: 'fix', status: 'pending' }] } },
      { kind: 'call', name: 'exec_command', args: '{not json' },
    );
    const r = await runCodex([...X, 'tools'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    const reqs = mock.requests.slice(before);
    expect(toolOutputs(reqs[1]!.body)[0]).toBe('unsupported call: frobnicate');
    expect(items(r, 'error').some((e) => /unknown tool `frobnicate`/.test(e.message))).toBe(true);
    expect(toolOutputs(reqs[2]!.body)[1]).toBe('Plan updated');
    expect(toolOutputs(reqs[3]!.body)[2]).toMatch(/^failed to parse function arguments: /);
    expect(r.events.filter((e) => e.item?.type === 'todo_list').map((e) => e.type)).toEqual(['item.started', 'item.completed']);
    expect(items(r, 'todo_list')[0].items).toEqual([
      { text: 'look', completed: true },
      { text: 'fix', completed: false },
    ]);
    // Item ids are the session's: item_0, item_1, … in the order items first appear, one per item.
    const ids = [...new Set(r.events.filter((e) => e.item).map((e) => e.item.id))];
    expect(ids).toEqual(ids.map((_, i) => `item_${i}`));
    const lines = checkRolloutBasics(home, r.events[0]!.thread_id);
    expect(lines.some((l) => l.type === 'response_item' && l.payload.type === 'function_call_output' && l.payload.output === 'unsupported call: frobnicate')).toBe(true);
    expect(lines.some((l) => l.type === 'event_msg' && l.payload.type === 'plan_update')).toBe(true);
  });
});

describe('codex exec: model errors and retries', () => {
  it('retries a 500 and succeeds', async () => {
    const { home, ws } = scratch(mock);
    const before = mock.requests.length;
    mock.push({ kind: 'status', status: 500 }, { kind: 'message', text: 'after 500' });
    const r = await runCodex([...X, 'hi'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(mock.requests.length - before).toBe(2);
    expect(r.events.some((e) => e.type === 'error' && /Reconnecting\.\.\. 1\/3/.test(e.message))).toBe(true);
    expect(items(r, 'agent_message')[0].text).toBe('after 500');
    const lines = checkRolloutBasics(home, r.events[0]!.thread_id);
    expect(lines.filter((l) => l.type === 'response_item' && l.payload.role === 'assistant')).toHaveLength(1);
  });

  it('takes the answer from text deltas when the server sends no output items', async () => {
    const { home, ws } = scratch(mock);
    mock.push({ kind: 'message', text: 'only deltas', bare: true });
    const r = await runCodex([...X, 'hi'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(items(r, 'agent_message').map((m) => m.text)).toEqual(['only deltas']);
  });

  it('honours Retry-After on 429', async () => {
    const { home, ws } = scratch(mock);
    const before = mock.requests.length;
    mock.push({ kind: 'status', status: 429, headers: { 'retry-after': '1' } }, { kind: 'message', text: 'after 429' });
    const r = await runCodex([...X, 'hi'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    const [a, b] = mock.requests.slice(before);
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(950);
    expect(items(r, 'agent_message')[0].text).toBe('after 429');
    const lines = checkRolloutBasics(home, r.events[0]!.thread_id);
    // As 0.169, retries are not recorded in the rollout.
    expect(lines.some((l) => l.payload.type === 'stream_error')).toBe(false);
    expect(lines.at(-1)!.payload.type).toBe('task_complete');
  });

  it('retries a stream cut mid-event and a malformed event', async () => {
    const { home, ws } = scratch(mock);
    const before = mock.requests.length;
    mock.push({ kind: 'cut', after: { kind: 'message', text: 'lost' } }, { kind: 'malformed' }, { kind: 'message', text: 'third time lucky' });
    const r = await runCodex([...X, 'hi'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(mock.requests.length - before).toBe(3);
    const errs = r.events.filter((e) => e.type === 'error').map((e) => e.message);
    expect(errs[0]).toMatch(/stream (closed|dropped)/);
    expect(errs[1]).toMatch(/malformed event JSON/);
    expect(items(r, 'agent_message').map((m) => m.text)).toEqual(['third time lucky']);
    // Nothing of the failed attempts reached the rollout: one assistant message, recorded once.
    const lines = checkRolloutBasics(home, r.events[0]!.thread_id);
    expect(lines.filter((l) => l.type === 'response_item' && l.payload.role === 'assistant').map((l) => l.payload.content[0].text)).toEqual(['third time lucky']);
  });

  it('treats a silent stream as dropped after stream_idle_timeout_ms', async () => {
    const { home, ws } = scratch(mock);
    const cfg = path.join(home, 'config.toml');
    fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8') + 'stream_idle_timeout_ms = 300\n');
    mock.push({ kind: 'message', text: 'too late', delayMs: 1500 }, { kind: 'message', text: 'on time' });
    const r = await runCodex([...X, 'hi'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(r.events.some((e) => e.type === 'error' && /no data from the model for 300 ms \(stream_idle_timeout_ms of provider mock\)/.test(e.message))).toBe(true);
    expect(items(r, 'agent_message').map((m) => m.text)).toEqual(['on time']);
  });

  it('fails clearly after the retry budget and leaves a valid rollout', async () => {
    const { home, ws } = scratch(mock);
    mock.push(...Array.from({ length: 4 }, () => ({ kind: 'malformed' as const })));
    const r = await runCodex([...X, 'hi'], { home, cwd: ws });
    expect(r.status).toBe(1);
    const failed = r.events.at(-1)!;
    expect(failed.type).toBe('turn.failed');
    expect(failed.error.message).toMatch(/failed after 4 attempt\(s\): malformed event JSON/);
    expect(r.events.at(-2)).toEqual({ type: 'error', message: failed.error.message });
    const lines = checkRolloutBasics(home, r.events[0]!.thread_id);
    // As 0.169: task_complete carries the error (no separate error line).
    expect(lines.at(-1)!.payload).toMatchObject({ type: 'task_complete', last_agent_message: null, error: { message: failed.error.message, codex_error_info: 'other' } });
  });

  it('fails at once on a 401 with the server message, and without the API key names the variable', async () => {
    const { home, ws } = scratch(mock);
    mock.push({ kind: 'status', status: 401, body: '{"error":{"message":"bad key"}}' });
    const before = mock.requests.length;
    const r = await runCodex(['exec', '--skip-git-repo-check', 'hi'], { home, cwd: ws });
    expect(r.status).toBe(1);
    expect(mock.requests.length - before).toBe(1);
    expect(r.stderr).toMatch(/HTTP 401: bad key\): set MOCK_KEY to a valid API key \[MODEL_UNAUTHORIZED\]/);
    // The human transcript prints the failure once.
    expect(r.stderr.split('bad key').length - 1).toBe(1);
    const r2 = await runCodex(['exec', '--skip-git-repo-check', 'hi'], { home, cwd: ws, env: { MOCK_KEY: '' } });
    expect(r2.status).toBe(1);
    expect(r2.stderr).toMatch(/MOCK_KEY.*\[MODEL_NO_API_KEY\]/);
  });
});

describe('codex exec: CLI', () => {
  it('prints the transcript on stderr and only the final message on stdout; -o writes it', async () => {
    const { home, ws } = scratch(mock);
    mock.push({ kind: 'call', name: 'exec_command', args: { cmd: 'echo visible' } }, { kind: 'message', text: 'final answer' });
    const before = mock.requests.length;
    const r = await runCodex(['exec', '--skip-git-repo-check', '-c', 'model_reasoning_effort=high', '-m', 'other-model', '-o', 'last.txt', 'go'], { home, cwd: ws });
    expect((mock.requests[before]!.body as Record<string, unknown>).reasoning).toEqual({ effort: 'high', summary: 'auto' });
    expect((mock.requests[before]!.body as Record<string, unknown>).model).toBe('other-model');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('final answer\n');
    expect(r.stderr).toContain("$ /bin/bash -lc 'echo visible'");
    expect(fs.readFileSync(path.join(ws, 'last.txt'), 'utf8')).toBe('final answer');
  });

  it('refuses to run outside a git repository without --skip-git-repo-check', async () => {
    const { home, ws } = scratch(mock);
    const r = await runCodex(['exec', 'hi'], { home, cwd: ws });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not inside a git repository.*\[NOT_A_GIT_REPO\]/);
  });

  it('Ctrl-C ends the turn: the command is killed and the rollout is flushed and valid', async () => {
    const { home, ws } = scratch(mock);
    const marker = `3${process.pid}.5`; // a unique sleep length to find the process by
    mock.push({ kind: 'call', name: 'exec_command', args: { cmd: `echo $$ > pid.txt; exec sleep ${marker}`, timeout_ms: 60000 } });
    let pid = 0;
    const started = Date.now();
    const p = runCodex([...X, '-s', 'workspace-write', 'sleep'], { home, cwd: ws, onSpawn: (n) => (pid = n) });
    const pidFile = path.join(ws, 'pid.txt');
    while (!fs.existsSync(pidFile) || fs.readFileSync(pidFile, 'utf8').trim() === '') {
      if (Date.now() - started > 20_000) throw new Error('command never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    process.kill(pid, 'SIGINT');
    const r = await p;
    // How fast it ends is measured by bench/interrupt.mjs; here the (hours-long) sleep must be gone.
    expect(r.status).toBe(130);
    expect(r.events.at(-1)).toMatchObject({ type: 'turn.failed' });
    const lines = checkRolloutBasics(home, r.events[0]!.thread_id);
    expect(lines.at(-1)!.payload.type).toBe('turn_aborted');
    // No sandboxed child survives.
    const alive = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
      try {
        return fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(`sleep\0${marker}`);
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  });

  it('Ctrl-C while waiting for the model ends the turn at once', async () => {
    const { home, ws } = scratch(mock);
    mock.push({ kind: 'message', text: 'never seen', delayMs: 8000 });
    let pid = 0;
    const p = runCodex([...X, 'wait'], { home, cwd: ws, onSpawn: (n) => (pid = n) });
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(pid, 'SIGINT');
    const r = await p;
    // Ended before the 8 s answer arrived (no agent_message); how fast: bench/interrupt.mjs.
    expect(r.status).toBe(130);
    expect(items(r, 'agent_message')).toEqual([]);
    expect(rolloutOf(home, r.events[0]!.thread_id).lines.at(-1)!.payload.type).toBe('turn_aborted');
  });

  it('--full-auto writes in the workspace; -C picks the workspace', async () => {
    const { home, ws } = scratch(mock);
    const sub = path.join(ws, 'sub');
    fs.mkdirSync(sub);
    mock.push({ kind: 'call', name: 'exec_command', args: { cmd: 'pwd; echo ok > here.txt' } });
    const r = await runCodex([...X, '--full-auto', '-C', sub, 'auto'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(sub, 'here.txt'), 'utf8')).toBe('ok\n');
    expect(items(r, 'command_execution')[0].aggregated_output).toContain(sub);
    const { lines } = rolloutOf(home, r.events[0]!.thread_id);
    expect(lines.find((l) => l.type === 'turn_context')!.payload).toMatchObject({ approval_policy: 'on-request', sandbox_policy: { type: 'workspace-write' }, cwd: sub });
  });
});
