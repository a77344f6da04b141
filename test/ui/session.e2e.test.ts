// `codex` in a real terminal (tmux) against the scripted Responses server: the same agent core as
// exec (commands, approvals, apply_patch, Ctrl-C), rendered by the Ink UI.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceCodex } from '../helpers/bin.js';
import { rolloutOf, runCodex, scratch } from '../core/_exec.js';
import { lastUserText, textPieces } from '../mock/server.js';
import { textWidth } from '../../core/ui/index.js';
import { HAVE_TMUX, mockServer, terminals } from './_tmux.js';

const mock = mockServer();
const openTerm = terminals();

const open = (args: string[], home: string, cwd: string, env: Record<string, string> = {}, size?: { cols: number; rows: number }) => openTerm(args, { home, cwd, env, ...size });

describe.skipIf(!HAVE_TMUX)('codex interactive session (tmux)', () => {
  it('a turn with a command: status, folded output, the reply, status line; the rollout is an ordinary cli session', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "never"');
    mock().push({ kind: 'call', name: 'exec_command', args: { cmd: 'seq 1 10' } }, { kind: 'message', text: 'counted to ten' });
    const t = open([], home, ws);
    await t.waitFor(/mock-model · workspace-write|mock-model · read-only/);
    t.type('count please');
    t.keys('Enter');
    const s = await t.waitFor(/counted to ten/);
    expect(s).toMatch(/✓ \$ seq 1 10 \(exit 0\)/);
    expect(s).toContain('│ 10');
    expect(s).toContain('… +6 lines');
    expect(s).toMatch(/› count please/);
    t.keys('C-c');
    await t.waitFor(/press Ctrl-C again to quit/);
    t.keys('C-c');
    const end = await t.waitFor(/\[exit 0\]/);
    expect(end.replace(/\n/g, '')).toMatch(/continue with: codex resume [0-9a-f-]{36}/);
    const { lines } = rolloutOf(home);
    expect(lines[0]!.payload.source).toBe('cli');
    expect(lines.some((l) => l.type === 'event_msg' && l.payload.type === 'task_complete')).toBe(true);
  });

  it('an approval answered in the UI: the prompt shows the command and reason; "y" runs it', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "untrusted"\nsandbox_mode = "workspace-write"');
    mock().push({ kind: 'call', name: 'exec_command', args: { cmd: 'touch made-by-approval' } }, { kind: 'message', text: 'touched it' });
    const t = open([], home, ws);
    await t.waitFor(/approvals untrusted/);
    t.type('make the file');
    t.keys('Enter');
    const ask = await t.waitFor(/Run this command\?/);
    expect(ask).toMatch(/│ \$ touch made-by-approval\s+│/);
    expect(ask).toMatch(/why: .*safe list/);
    t.type('y');
    await t.waitFor(/touched it/);
    expect(fs.existsSync(path.join(ws, 'made-by-approval'))).toBe(true);
  });

  it('an approval declined with Esc: the command does not run', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "untrusted"');
    mock().push({ kind: 'call', name: 'exec_command', args: { cmd: 'touch must-not-exist' } }, { kind: 'message', text: 'ok, not done' });
    const t = open([], home, ws);
    await t.waitFor(/approvals untrusted/);
    t.type('make the file');
    t.keys('Enter');
    await t.waitFor(/Run this command\?/);
    t.keys('Escape');
    const s = await t.waitFor(/ok, not done/);
    expect(s).toMatch(/⊘ \$ touch must-not-exist/);
    expect(fs.existsSync(path.join(ws, 'must-not-exist'))).toBe(false);
  });

  it('an apply_patch is shown as a diff of the file', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "never"\nsandbox_mode = "workspace-write"');
    fs.writeFileSync(path.join(ws, 'notes.txt'), 'alpha\nbeta\ngamma\n');
    const patch = '*** Begin Patch\n*** Update File: notes.txt\n@@\n alpha\n-beta\n+BETA changed\n gamma\n*** End Patch\n';
    mock().push({ kind: 'custom_call', name: 'apply_patch', input: patch }, { kind: 'message', text: 'patched' });
    const t = open([], home, ws);
    await t.waitFor(/approvals never/);
    t.type('patch it');
    t.keys('Enter');
    const s = await t.waitFor(/patched\s*$/m);
    expect(s).toMatch(/✓ apply_patch update notes\.txt completed/);
    expect(s).toMatch(/^\s+-beta$/m);
    expect(s).toMatch(/^\s+\+BETA changed$/m);
    expect(fs.readFileSync(path.join(ws, 'notes.txt'), 'utf8')).toBe('alpha\nBETA changed\ngamma\n');
  });

  it('Ctrl-C mid-command interrupts the turn; the session stays usable and the rollout valid', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "never"');
    mock().push({ kind: 'call', name: 'exec_command', args: { cmd: 'echo started; sleep 30', yield_time_ms: 60000 } });
    const t = open([], home, ws);
    await t.waitFor(/approvals never/);
    t.type('long one');
    t.keys('Enter');
    await t.waitFor(/sleep 30 running/);
    t.keys('C-c');
    await t.waitFor(/interrupted; the session is saved/, 15_000);
    mock().push({ kind: 'message', text: 'second turn fine' });
    t.type('again');
    t.keys('Enter');
    await t.waitFor(/second turn fine/);
    const { lines } = rolloutOf(home);
    expect(lines.some((l) => l.type === 'event_msg' && l.payload.type === 'turn_aborted')).toBe(true);
  });

  it('slash commands: completion on "/", /status, /model', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "never"');
    const t = open([], home, ws);
    await t.waitFor(/approvals never/);
    t.type('/st');
    const comp = await t.waitFor(/\/status\s+session, model/);
    expect(comp).not.toContain('/quit ');
    t.keys('Tab');
    await t.waitFor(/› \/status /);
    t.keys('Enter');
    // Nothing sent yet: no rollout file (it is made at the first turn).
    await t.waitFor(/rollout\s+\(not written yet/);
    t.type('/model other-model');
    t.keys('Enter');
    await t.waitFor(/other-model · /);
  });

  it('NO_COLOR: no colour escapes on the screen', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "never"');
    const t = open([], home, ws, { NO_COLOR: '1' });
    await t.waitFor(/approvals never/);
    const coloured = t.tmux('capture-pane', '-p', '-e', '-t', t.name);
    expect(coloured).not.toMatch(/\x1b\[3[1-7]m/);
  });
});

describe.skipIf(!HAVE_TMUX)('streaming, composer, empty sessions, CI (tmux)', () => {
  it("the agent's message shows as it arrives, then once complete", async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "never"');
    const text = `streamed-first-part then the middle ${'and more words '.repeat(8)}and the streamed-last-part`;
    const [first] = textPieces(text);
    let release!: () => void;
    mock().push({ kind: 'message', text, hold: new Promise<void>((r) => (release = r)) });
    const t = open([], home, ws);
    await t.waitFor(/approvals never/);
    t.type('stream something');
    t.keys('Enter');
    // The server holds the rest of the message back: the first piece is on screen alone.
    const partial = await t.waitFor((x) => x.includes(first!.trim()));
    expect(partial).not.toContain('streamed-last-part');
    expect(partial).toContain('working…');
    release();
    const done = await t.waitFor((x) => x.includes('streamed-last-part') && !x.includes('working…'));
    expect(done.match(/streamed-first-part/g)).toHaveLength(1);
    // Wrapped by the UI within the 100 columns, not by the terminal (-J joins the terminal's wraps).
    const joined = t.tmux('capture-pane', '-p', '-J', '-t', t.name).split('\n');
    for (const l of joined) expect([...l.trimEnd()].length).toBeLessThanOrEqual(100);
  });

  it('Ctrl-C while a message streams: what arrived stays on screen, the turn is aborted cleanly', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "never"');
    let release!: () => void;
    mock().push({ kind: 'message', text: 'half-said-words and the words never sent', hold: new Promise<void>((r) => (release = r)) });
    const t = open([], home, ws);
    try {
      await t.waitFor(/approvals never/);
      t.type('say something long');
      t.keys('Enter');
      await t.waitFor(/half-said/);
      t.keys('C-c');
      const s = await t.waitFor(/interrupted; the session is saved/);
      expect(s).toMatch(/codex half-said.* …/);
      expect(s).not.toContain('never sent');
      const { lines } = rolloutOf(home);
      expect(lines.some((l) => l.type === 'event_msg' && l.payload.type === 'turn_aborted')).toBe(true);
    } finally {
      release();
    }
  });

  it('codex exec --json over the same streamed answer: no delta events, as 0.169', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "never"');
    mock().push({ kind: 'message', text: 'one two three four five six' });
    const r = await runCodex(['exec', '--json', '--skip-git-repo-check', 'hi'], { home, cwd: ws });
    expect(r.status, r.stderr).toBe(0);
    expect(r.events.map((e) => e.type)).toEqual(['thread.started', 'turn.started', 'item.completed', 'turn.completed']);
    expect(r.events[2]!.item).toEqual({ id: 'item_0', type: 'agent_message', text: 'one two three four five six' });
  });

  it('the composer edits in the middle of the text; a bracketed paste keeps its lines', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "never"');
    mock().push({ kind: 'message', text: 'edited ok' }, { kind: 'message', text: 'pasted ok' });
    const t = open([], home, ws);
    await t.waitFor(/approvals never/);
    t.type('fix the bug');
    t.keys('C-Left', 'C-Left', 'BSpace');
    t.type('_');
    t.keys('Home');
    t.type('please ');
    t.keys('End');
    t.type(' now');
    await t.waitFor(/› please fix_the bug now/);
    t.keys('Enter');
    await t.waitFor(/edited ok/);
    expect(lastUserText(mock().requests.at(-1)!.body)).toBe('please fix_the bug now');
    t.tmux('set-buffer', '-b', 'codexui', 'pasted line one\npasted line two');
    t.tmux('paste-buffer', '-p', '-b', 'codexui', '-t', t.name);
    await t.waitFor(/› pasted line one\s+│\n│\s+pasted line two/);
    t.keys('Enter');
    await t.waitFor(/pasted ok/);
    expect(lastUserText(mock().requests.at(-1)!.body)).toBe('pasted line one\npasted line two');
  });

  it('editing wide characters: the cursor steps over whole characters and the frame stays aligned', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "never"');
    const t = open([], home, ws);
    await t.waitFor(/approvals never/);
    t.type('日本語テスト👍');
    t.keys('Left', 'Left', 'Left', 'BSpace');
    t.type('X');
    const s = await t.waitFor(/› 日本語Xスト👍/);
    const line = s.split('\n').find((l) => l.includes('日本語Xスト'))!;
    expect(textWidth(line)).toBe(100);
    expect(line.trimEnd().endsWith('│')).toBe(true);
  });

  it('a line longer than the composer wraps into rows; ↑ moves up one row of it, not to an earlier prompt', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "never"');
    mock().push({ kind: 'message', text: 'wrapped ok' });
    // 40 columns: the text gets 34 (frame, padding and prompt take six).
    const t = open([], home, ws, {}, { cols: 40, rows: 30 });
    await t.waitFor(/approvals neve/); // the status line is cut at 40 columns
    const long = 'aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee';
    t.type(long);
    // Cut at 34 columns by the composer itself, each row inside the frame.
    const s = await t.waitFor((x) => x.includes('› aaaaaaaaaa bbbbbbbbbb cccccccccc d ') && x.includes('  ddddddddd eeeeeeeeee'));
    for (const l of s.split('\n')) expect(textWidth(l.trimEnd())).toBeLessThanOrEqual(40);
    t.keys('Up');
    t.type('^');
    // From the end of the second row (column 20) to column 20 of the first.
    await t.waitFor(/› aaaaaaaaaa bbbbbbbbb\^b cccccccccc /);
    t.keys('Enter');
    await t.waitFor(/wrapped ok/);
    expect(lastUserText(mock().requests.at(-1)!.body)).toBe('aaaaaaaaaa bbbbbbbbb^b cccccccccc dddddddddd eeeeeeeeee');
  });

  it('quitting a session where nothing was sent leaves no rollout behind', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "never"');
    const t = open([], home, ws);
    await t.waitFor(/approvals never/);
    t.type('/status');
    t.keys('Enter');
    await t.waitFor(/not written yet/);
    t.type('/quit');
    t.keys('Enter');
    const end = await t.waitFor(/\[exit 0\]/);
    expect(end).not.toContain('continue with');
    expect(fs.existsSync(path.join(home, 'sessions')) ? fs.readdirSync(path.join(home, 'sessions'), { recursive: true }).filter((f) => String(f).endsWith('.jsonl')) : []).toEqual([]);
  });

  it('codex PROMPT sends it at once, and its rollout is made for that first turn', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "never"');
    mock().push({ kind: 'message', text: 'answered the first prompt' });
    const t = open(['explain this repository'], home, ws);
    await t.waitFor(/answered the first prompt/);
    const { lines } = rolloutOf(home);
    expect(lines[0]!.type).toBe('session_meta');
    expect(JSON.stringify(lines)).toContain('explain this repository');
  });

  it('CI=true: the session is drawn all the same, and the commands still see CI', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "never"');
    mock().push({ kind: 'call', name: 'exec_command', args: { cmd: 'echo "ci is $CI"' } }, { kind: 'message', text: 'ci checked' });
    const t = open([], home, ws, { CI: 'true', CONTINUOUS_INTEGRATION: '1' });
    await t.waitFor(/approvals never/);
    expect(t.tmux('capture-pane', '-p', '-e', '-t', t.name)).toMatch(/\x1b\[3\dm/);
    t.type('check ci');
    t.keys('Enter');
    const s = await t.waitFor(/ci checked/);
    expect(s).toContain('│ ci is true');
  });
});

describe.skipIf(!HAVE_TMUX)('terminal behaviour (tmux)', () => {
  it('80×24, then a resize to 60 columns: the layout follows; wide characters keep the frame aligned', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "never"');
    mock().push({ kind: 'message', text: '你好 — done' });
    const t = open([], home, ws, {}, { cols: 80, rows: 24 });
    await t.waitFor(/approvals never/);
    t.type('日本語のプロンプト');
    t.keys('Enter');
    const s = await t.waitFor(/你好 — done/);
    const border = s.split('\n').find((l) => l.startsWith('╭'))!;
    expect([...border].length).toBe(80);
    t.resize(60, 24);
    // (the transcript is reprinted a moment after the frame: wait for both)
    const narrow = await t.waitFor((x) => x.split('\n').some((l) => /^╭─+╮$/.test(l) && [...l].length === 60) && x.includes('你好 — done') && !x.includes('working…'));
    expect(narrow).toMatch(/^mock-model · .*…$/m);
    expect(narrow).not.toContain('working…');
    // The transcript is printed again at the new width, once.
    expect(narrow.match(/你好 — done/g)).toHaveLength(1);
    expect(narrow.split('\n').filter((l) => l.startsWith('╭'))).toHaveLength(1);
  });

  it('TERM=dumb: no colour escapes', async () => {
    const { home, ws } = scratch(mock(), 'approval_policy = "never"');
    const t = open([], home, ws, { TERM: 'dumb' });
    await t.waitFor(/approvals never/);
    expect(t.tmux('capture-pane', '-p', '-e', '-t', t.name)).not.toMatch(/\x1b\[3[1-7]m/);
  });

  it('the real Codex 0.169 resumes a session made in the UI', async () => {
    const ref = referenceCodex();
    if (!ref) return;
    const { home, ws } = scratch(mock(), 'approval_policy = "never"');
    mock().push({ kind: 'message', text: 'made in the ui' });
    const t = open([], home, ws);
    await t.waitFor(/approvals never/);
    t.type('remember the word kumquat');
    t.keys('Enter');
    await t.waitFor(/made in the ui/);
    t.keys('C-c');
    await t.waitFor(/press Ctrl-C again/);
    t.keys('C-c');
    await t.waitFor(/\[exit 0\]/);
    const { lines } = rolloutOf(home);
    const id = lines[0]!.payload.id as string;
    const before = mock().requests.length;
    mock().push({ kind: 'message', text: 'resumed by the reference' });
    const r = await runCodex(['exec', '--skip-git-repo-check', 'resume', id, 'what word?'], { home, cwd: ws, bin: ref });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.stringify(mock().requests[before]!.body)).toContain('remember the word kumquat');
  });
});
