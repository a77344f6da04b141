// The UI's components rendered with ink-testing-library: composer (history, completion, paste),
// transcript entries (folded output, diff colours), the picker over a generated store.
import React, { useState } from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Composer, completions, displayCommand, EntryView, fileDiff, fold, parseSlash, Picker } from '../../core/ui/index.js';
import { tempDir } from '../helpers/bin.js';
import { assistantLine, idFor, metaLine, userLine, writeSession } from '../rollout/store-gen.js';

const h = React.createElement;
const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

function ComposerHarness(p: { history: string[]; sent: string[]; interrupts: string[] }) {
  const [text, setText] = useState('');
  return h(Composer, { active: true, history: p.history, text, setText, onSubmit: (t: string) => (p.sent.push(t), setText('')), onInterrupt: (t: string) => p.interrupts.push(t) });
}

describe('composer', () => {
  it('types, completes a slash command with Tab, sends on Enter', async () => {
    const sent: string[] = [];
    const r = render(h(ComposerHarness, { history: [], sent, interrupts: [] }));
    await tick();
    r.stdin.write('/st');
    await tick();
    expect(r.lastFrame()).toMatch(/\/status\s+session, model/);
    expect(r.lastFrame()).not.toContain('/quit');
    r.stdin.write('\t');
    await tick();
    r.stdin.write('\r');
    await tick();
    expect(sent).toEqual(['/status ']);
    r.unmount();
  });
});

describe('composer keys', () => {
  it('↑/↓ walk the history; a multi-line paste keeps its lines; one line + Enter in one chunk sends', async () => {
    const sent: string[] = [];
    const r = render(h(ComposerHarness, { history: ['first', 'second'], sent, interrupts: [] }));
    await tick();
    r.stdin.write('\u001b[A');
    await tick();
    expect(r.lastFrame()).toContain('› second');
    r.stdin.write('\u001b[A');
    await tick();
    expect(r.lastFrame()).toContain('› first');
    r.stdin.write('\u001b[B');
    await tick();
    r.stdin.write('\u001b[B');
    await tick();
    expect(r.lastFrame()).not.toMatch(/first|second/);
    r.stdin.write('line one\rline two');
    await tick();
    expect(r.lastFrame()).toMatch(/› line one\s*│\s*\n│\s+line two/);
    expect(sent).toEqual([]);
    r.stdin.write('\r');
    await tick();
    expect(sent).toEqual(['line one\nline two']);
    r.stdin.write('quick\r');
    await tick();
    expect(sent).toEqual(['line one\nline two', 'quick']);
    r.stdin.write('\u0003');
    await tick();
    r.unmount();
  });
});

describe('transcript entries', () => {
  it('folds a long output to its last lines with a count', () => {
    expect(fold('')).toEqual({ shown: [], hidden: 0 });
    expect(fold('a\nb\n')).toEqual({ shown: ['a', 'b'], hidden: 0 });
    expect(fold('1\n2\n3\n4\n5\n6\n')).toEqual({ shown: ['3', '4', '5', '6'], hidden: 2 });
  });

  it('shows the command without the shell wrapper', () => {
    expect(displayCommand("/bin/bash -lc 'echo hi'")).toBe('echo hi');
    expect(displayCommand("bash -lc 'echo '\\''q'\\'''")).toBe("echo 'q'");
    expect(displayCommand('ls -la')).toBe('ls -la');
  });

  it('renders a command, a patch diff and the plan', () => {
    const cmd = render(h(EntryView, { entry: { kind: 'command', id: 'i', command: "/bin/bash -lc 'make'", status: 'failed', output: 'a\nb\nc\nd\ne\n', exitCode: 2 } }));
    expect(cmd.lastFrame()).toMatch(/✗ \$ make \(exit 2\)\n\s+│ b\n\s+│ c\n\s+│ d\n\s+│ e\n\s+│ … \+1 lines/);
    const diff = fileDiff('/w/a.txt', 'x\ny\n', 'x\nz\n');
    expect(diff.map((d) => d.kind)).toEqual(['file', 'hunk', 'ctx', 'del', 'add']);
    const patch = render(h(EntryView, { entry: { kind: 'patch', id: 'p', changes: [{ path: '/w/a.txt', kind: 'update' }], status: 'completed', diff } }));
    expect(patch.lastFrame()).toMatch(/✓ apply_patch update \/w\/a\.txt completed\n\s+updated \/w\/a\.txt\n\s+@@ -1,2 \+1,2 @@\n\s+ x\n\s+-y\n\s+\+z/);
    const plan = render(h(EntryView, { entry: { kind: 'plan', id: 'q', items: [{ text: 'read', completed: true }, { text: 'write', completed: false }] } }));
    expect(plan.lastFrame()).toMatch(/plan\n\s+\[x\] read\n\s+\[ \] write/);
  });

  it('added and deleted files diff against nothing', () => {
    expect(fileDiff('n', '', 'new\n')[0]).toEqual({ kind: 'file', text: 'added n' });
    expect(fileDiff('n', 'old\n', '')[0]).toEqual({ kind: 'file', text: 'deleted n' });
  });
});

describe('slash commands', () => {
  it('completes by prefix, stops at a space, parses the argument', () => {
    expect(completions('/').map((c) => c.name)).toEqual(['new', 'resume', 'status', 'diff', 'model', 'approvals', 'quit']);
    expect(completions('/m').map((c) => c.name)).toEqual(['model']);
    expect(completions('/model x')).toEqual([]);
    expect(completions('hello')).toEqual([]);
    expect(parseSlash('/model  gpt-5 ')).toEqual({ name: 'model', arg: 'gpt-5' });
    expect(parseSlash('not one')).toBeUndefined();
  });
});

describe('picker', () => {
  it('lists a generated store newest first and filters by full-text search as you type', async () => {
    const home = tempDir('picker-home-');
    const ids: string[] = [];
    for (let n = 0; n < 12; n++) {
      const id = idFor(n);
      ids.push(id);
      writeSession(home, `2026-02-01T00-00-${String(n).padStart(2, '0')}`, id, [metaLine(id, `/p/${n}`), userLine(`message ${n}`), ...(n === 4 ? [assistantLine('quokka inside')] : [])]);
    }
    const picked: string[] = [];
    const r = render(h(Picker, { home, pageSize: 5, onSelect: (id: string) => picked.push(id), onCancel: () => picked.push('cancel') }));
    await until(() => /message 11/.test(r.lastFrame() ?? ''));
    const rows = (r.lastFrame() ?? '').split('\n').filter((l) => /message \d+/.test(l));
    expect(rows.map((l) => /message (\d+)/.exec(l)![1])).toEqual(['11', '10', '9', '8', '7']);
    r.stdin.write('quok');
    await until(() => /1 sessions/.test(r.lastFrame() ?? ''));
    expect(r.lastFrame()).toContain('quokka inside');
    r.stdin.write('\r');
    await until(() => picked.length > 0);
    expect(picked).toEqual([ids[4]]);
    r.stdin.write('\u001b');
    await until(() => picked.length > 1);
    expect(picked.at(-1)).toBe('cancel');
    r.unmount();
  });
});

async function until(ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await tick(20);
  }
}
