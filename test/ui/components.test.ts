// The UI's components rendered with ink-testing-library: composer (history, completion, paste),
// transcript entries (folded output, diff colours), the picker over a generated store.
import React, { useState } from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Composer, completions, EntryView, fileDiff, fold, parseSlash } from '../../core/ui/index.js';

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
