// Recorded sessions resume both ways: ours by ours, the reference's by ours, ours by the real Codex 0.169.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixtureHome, REFERENCE_MISSING_REASON, referenceCodex, tempDir } from '../helpers/bin.js';
import { startMock, type MockServer } from '../mock/server.js';
import { items, rolloutOf, runCodex, scratch, toolOutputs, writeConfig } from './_exec.js';

let mock: MockServer;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(async () => {
  await mock.close();
});

const X = ['exec', '--json', '--skip-git-repo-check'];

function inputTexts(body: unknown): string[] {
  const input = (body as { input: { type: string; content?: { text?: string }[] }[] }).input;
  return input.filter((i) => i.type === 'message').map((i) => (i.content ?? []).map((c) => c.text ?? '').join(''));
}

describe('codex exec resume', () => {
  it('resumes its own session (--last and by id): history sent again, same rollout appended', async () => {
    const { home, ws } = scratch(mock);
    mock.push({ kind: 'call', name: 'exec_command', args: { cmd: 'echo first-marker' } }, { kind: 'message', text: 'first reply' });
    const r1 = await runCodex([...X, 'first prompt'], { home, cwd: ws });
    expect(r1.status, r1.stderr).toBe(0);
    const id = r1.events[0]!.thread_id as string;
    const before = mock.requests.length;
    mock.push({ kind: 'message', text: 'second reply' });
    const r2 = await runCodex([...X.slice(0, 1), 'resume', '--json', '--skip-git-repo-check', '--last', 'second prompt'], { home, cwd: ws });
    expect(r2.status, r2.stderr).toBe(0);
    expect(r2.events[0]).toEqual({ type: 'thread.started', thread_id: id });
    const body = mock.requests[before]!.body as Record<string, any>;
    const texts = inputTexts(body);
    expect(texts).toContain('first prompt');
    expect(texts).toContain('first reply');
    expect(texts.at(-1)).toBe('second prompt');
    expect(toolOutputs(body)[0]).toContain('first-marker');
    expect(texts.filter((t) => t.startsWith('<environment_context>'))).toHaveLength(1);
    mock.push({ kind: 'message', text: 'third reply' });
    const r3 = await runCodex(['exec', 'resume', '--json', '--skip-git-repo-check', id, 'third prompt'], { home, cwd: ws });
    expect(r3.status, r3.stderr).toBe(0);
    const { lines } = rolloutOf(home, id);
    lines.forEach((l, i) => expect(l.ordinal).toBe(i));
    expect(lines.filter((l) => l.type === 'event_msg' && l.payload.type === 'task_started')).toHaveLength(3);
    expect(lines.filter((l) => l.type === 'session_meta')).toHaveLength(1);
  });

  it('says clearly when there is nothing to resume', async () => {
    const { home, ws } = scratch(mock);
    const r = await runCodex(['exec', 'resume', '--skip-git-repo-check', '01a21319-0000-7000-8000-000000000000', 'x'], { home, cwd: ws });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no session with id .* \[SESSION_NOT_FOUND\]/);
  });

  it('resumes sessions written by Codex 0.169, plain and compressed', async () => {
    const home = copyFixtureHome();
    writeConfig(home, mock);
    const ws = tempDir('codex-ws-');
    const before = mock.requests.length;
    const r = await runCodex(['exec', 'resume', '--json', '--skip-git-repo-check', '01a21319-0727-7303-b5cd-f1d687046d00', 'continue please'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    const texts = inputTexts(mock.requests[before]!.body);
    expect(texts).toContain('explain the sandbox policy (task 2)');
    expect(texts).toContain('please run: echo resumed-after-unarchive');
    expect(texts.at(-1)).toBe('continue please');
    const { lines } = rolloutOf(home, '01a21319-0727-7303-b5cd-f1d687046d00');
    expect(lines.at(-1)!.payload.type).toBe('task_complete');
    lines.forEach((l, i) => expect(l.ordinal).toBe(i));

    const zst = path.join(home, 'sessions/2026/11/25/rollout-2026-11-25T14-25-37-01a21319-07c5-7761-99c9-f2bfc090f729.jsonl.zst');
    expect(fs.existsSync(zst)).toBe(true);
    const b2 = mock.requests.length;
    const r2 = await runCodex(['exec', 'resume', '--json', '--skip-git-repo-check', '01a21319-07c5-7761-99c9-f2bfc090f729', 'more'], { home, cwd: ws });
    expect(r2.status, r2.stderr).toBe(0);
    expect(inputTexts(mock.requests[b2]!.body)).toContain('please run: ls (task 3)');
    expect(fs.existsSync(zst)).toBe(false);
    expect(fs.existsSync(zst.slice(0, -4))).toBe(true);
  });

  const ref = referenceCodex();
  it.skipIf(!ref)(`is resumable by the real Codex 0.169, and ours resumes it again${ref ? '' : ` (skipped: ${REFERENCE_MISSING_REASON})`}`, async () => {
    const { home, ws } = scratch(mock);
    mock.push({ kind: 'call', name: 'exec_command', args: { cmd: 'echo ours-marker' } }, { kind: 'message', text: 'ours reply' });
    const r1 = await runCodex([...X, 'ours prompt'], { home, cwd: ws });
    expect(r1.status, r1.stderr).toBe(0);
    const id = r1.events[0]!.thread_id as string;
    const before = mock.requests.length;
    mock.push({ kind: 'message', text: 'reference reply' });
    const r2 = await runCodex(['exec', 'resume', '--json', '--skip-git-repo-check', id, 'reference prompt'], { home, cwd: ws, bin: ref });
    expect(r2.status, r2.stderr).toBe(0);
    expect(r2.events[0]).toEqual({ type: 'thread.started', thread_id: id });
    expect(items(r2, 'agent_message').at(-1)!.text).toBe('reference reply');
    const body = mock.requests[before]!.body;
    const texts = inputTexts(body);
    expect(texts).toContain('ours prompt');
    expect(texts).toContain('ours reply');
    expect(toolOutputs(body)[0]).toContain('ours-marker');
    // And back: ours resumes the file the reference appended to.
    const b2 = mock.requests.length;
    mock.push({ kind: 'message', text: 'ours again' });
    const r3 = await runCodex(['exec', 'resume', '--json', '--skip-git-repo-check', id, 'ours again prompt'], { home, cwd: ws });
    expect(r3.status, r3.stderr).toBe(0);
    const texts3 = inputTexts(mock.requests[b2]!.body);
    expect(texts3).toContain('reference prompt');
    expect(texts3).toContain('reference reply');
    rolloutOf(home, id);
  });
});
