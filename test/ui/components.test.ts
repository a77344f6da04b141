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
  const [, setOther] = useState(0);
  // As the App: another state update comes first (Ink renders each one at once, before the text's).
  const set = (t: string) => {
    setOther((n) => n + 1);
    setText(t);
  };
  return h(Composer, { active: true, history: p.history, text, setText: set, onSubmit: (t: string) => (p.sent.push(t), set('')), onInterrupt: (t: string) => p.interrupts.push(t) });
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

describe('composer editing', () => {
  const LEFT = '\u001b[D';
  const RIGHT = '\u001b[C';
  const UP = '\u001b[A';
  const DOWN = '\u001b[B';
  async function composer(history: string[] = []) {
    const sent: string[] = [];
    const r = render(h(ComposerHarness, { history, sent, interrupts: [] }));
    await tick();
    /** Keys one event at a time (as a terminal sends them), then Enter; the text that was sent. */
    const send = async (...keys: string[]): Promise<string> => {
      for (const k of keys) r.stdin.write(k);
      r.stdin.write('\r');
      await until(() => sent.length > 0, () => r.lastFrame());
      return sent.pop()!;
    };
    return { r, sent, send };
  }

  it('inserts and deletes in the middle: ←/→, Backspace and Delete at the cursor', async () => {
    const { r, send } = await composer();
    expect(await send('helo', LEFT, 'l')).toBe('hello');
    expect(await send('abcd', LEFT, LEFT, '\x7f')).toBe('acd');
    expect(await send('abcd', LEFT, LEFT, '\u001b[3~')).toBe('abd');
    expect(await send('abcd', LEFT, LEFT, LEFT, LEFT, LEFT, 'X', RIGHT, RIGHT, 'Y')).toBe('XabYcd');
    r.unmount();
  });

  it('Home/End, Ctrl-A/Ctrl-E, word moves with Ctrl/Alt-←/→', async () => {
    const { r, send } = await composer();
    expect(await send('middle', '\u001b[H', '<', '\u001b[F', '>')).toBe('<middle>');
    expect(await send('middle', '\x01', '[', '\x05', ']')).toBe('[middle]');
    expect(await send('git commit --amend', '\u001b[1;5D', '\u001b[1;5D', 'no-', '\u001b[1;3C', '!')).toBe('git no-commit! --amend');
    expect(await send('one two three', '\u001bb', '\u001bb', '\u001bf', '_')).toBe('one two_ three');
    r.unmount();
  });

  it('Ctrl-U, Ctrl-K, Ctrl-W kill around the cursor', async () => {
    const { r, send } = await composer();
    expect(await send('drop this keep', LEFT, LEFT, LEFT, LEFT, '\x15')).toBe('keep');
    expect(await send('keep drop', '\u001b[H', RIGHT, RIGHT, RIGHT, RIGHT, '\x0b')).toBe('keep');
    expect(await send('run make test', '\x17', 'lint')).toBe('run make lint');
    r.unmount();
  });

  it('multi-line: Ctrl-J adds a line, ↑/↓ move inside the text, history only from the first/last line', async () => {
    const { r, send, sent } = await composer(['older prompt']);
    r.stdin.write('first');
    r.stdin.write('\n');
    r.stdin.write('second');
    await until(() => /› first\s*│\s*\n│\s+second/.test(r.lastFrame() ?? ''), () => r.lastFrame());
    // ↑ from the last line goes to the first line (same column, clamped), not to the history.
    r.stdin.write(UP);
    r.stdin.write('!');
    await until(() => /› first!/.test(r.lastFrame() ?? ''), () => r.lastFrame());
    expect(r.lastFrame()).not.toContain('older prompt');
    // ↓ goes back to the second line; Enter sends both lines.
    expect(await send(DOWN, '?')).toBe('first!\nsecond?');
    // On the (only, so first) line ↑ recalls the history; ↓ on the last line leaves it.
    r.stdin.write(UP);
    await until(() => /› older prompt/.test(r.lastFrame() ?? ''), () => r.lastFrame());
    r.stdin.write(DOWN);
    await until(() => !/older prompt/.test(r.lastFrame() ?? ''), () => r.lastFrame());
    expect(sent).toEqual([]);
    r.unmount();
  });

  it('keys typed faster than a read (one chunk with Backspace and Ctrl-W inside) are each applied', async () => {
    const { r, send } = await composer();
    expect(await send('helx\x7flo wrold\x17world')).toBe('hello world');
    r.unmount();
  });

  it('a bracketed paste keeps its line breaks, wherever the cursor is', async () => {
    const { r, send } = await composer();
    expect(await send('[]', LEFT, '\u001b[200~', 'a\rb\r\nc\r', '\u001b[201~')).toBe('[a\nb\nc\n]');
    r.unmount();
  });

  it('wide characters: the cursor steps over a CJK character or an emoji as one', async () => {
    const { r, send } = await composer();
    expect(await send('日本語', LEFT, '\x7f')).toBe('日語');
    expect(await send('a👍🏽b', LEFT, LEFT, '\u001b[3~')).toBe('ab');
    // ↑ from after 示 (two columns) lands after 表 (two columns).
    expect(await send('表\x0a示', UP, 'x')).toBe('表x\n示');
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

  it('a long message wraps beside its label, which keeps its space', () => {
    const text = 'word '.repeat(40).trim();
    const r = render(h(EntryView, { entry: { kind: 'agent', text } }));
    const lines = (r.lastFrame() ?? '').split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^codex word word/);
    expect(lines[1]).toMatch(/^ {6,7}word/);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
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
  it('lists a generated store newest first and filters by full-text search as you type', { timeout: 120_000 }, async () => {
    const home = tempDir('picker-home-');
    const ids: string[] = [];
    for (let n = 0; n < 12; n++) {
      const id = idFor(n);
      ids.push(id);
      writeSession(home, `2026-02-01T00-00-${String(n).padStart(2, '0')}`, id, [metaLine(id, `/p/${n}`), userLine(`message ${n}`), ...(n === 4 ? [assistantLine('quokka inside')] : [])]);
    }
    const picked: string[] = [];
    const r = render(h(Picker, { home, pageSize: 5, onSelect: (id: string) => picked.push(id), onCancel: () => picked.push('cancel') }));
    await until(() => /message 11/.test(r.lastFrame() ?? ''), () => r.lastFrame());
    const rows = (r.lastFrame() ?? '').split('\n').filter((l) => /message \d+/.test(l));
    expect(rows.map((l) => /message (\d+)/.exec(l)![1])).toEqual(['11', '10', '9', '8', '7']);
    // Typed faster than one read: one chunk with a Backspace inside it.
    r.stdin.write('quox\x7fk');
    // The search runs in the background: wait for its end state, however long a loaded machine takes.
    await until(() => /quokka inside/.test(r.lastFrame() ?? '') && /1 sessions/.test(r.lastFrame() ?? ''), () => r.lastFrame());
    expect(r.lastFrame()).not.toMatch(/message 11/);
    r.stdin.write('\r');
    await until(() => picked.length > 0);
    expect(picked).toEqual([ids[4]]);
    r.stdin.write('\u001b');
    await until(() => picked.length > 1);
    expect(picked.at(-1)).toBe('cancel');
    r.unmount();
  });
});

/** Wait for a condition (not for a time): the deadline only bounds a hang; `frame` says what was on screen. */
async function until(ok: () => boolean, frame?: () => string | undefined, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out; the frame was:\n${frame?.() ?? ''}`);
    await tick(20);
  }
}
