// The composer: multi-line input (Ctrl-J or a pasted newline adds a line; Enter sends), ↑/↓
// through earlier prompts, slash-command completion with Tab.
import React, { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { completions } from './slash.js';

const h = React.createElement;

export interface ComposerProps {
  active: boolean;
  history: string[];
  /** Enter: the caller sends the text and clears the composer. */
  onSubmit: (text: string) => void;
  /** Ctrl-C: the composer's text at that moment (the caller clears, interrupts or exits). */
  onInterrupt: (text: string) => void;
  hint?: string;
  text: string;
  setText: (t: string) => void;
}

export function Composer(p: ComposerProps): React.ReactElement {
  const [hist, setHist] = useState<number | undefined>(undefined);
  // Several keys can arrive before React renders again: read and write the latest text here.
  const cur = useRef(p.text);
  cur.current = p.text;
  const setText = (t: string) => {
    cur.current = t;
    p.setText(t);
  };
  useInput(
    (input, key) => {
      const text = cur.current;
      if (key.ctrl && input === 'c') return p.onInterrupt(text);
      if (key.return) {
        if (text.trim()) {
          setHist(undefined);
          cur.current = '';
          p.onSubmit(text);
        }
        return;
      }
      if (key.ctrl && input === 'j') return setText(text + '\n');
      if (key.tab) {
        const c = completions(text);
        if (c.length) setText(`/${c[0]!.name} `);
        return;
      }
      if (key.upArrow) {
        if (!p.history.length) return;
        const i = hist === undefined ? p.history.length - 1 : Math.max(0, hist - 1);
        setHist(i);
        return setText(p.history[i]!);
      }
      if (key.downArrow) {
        if (hist === undefined) return;
        const i = hist + 1;
        if (i >= p.history.length) {
          setHist(undefined);
          return setText('');
        }
        setHist(i);
        return setText(p.history[i]!);
      }
      if (key.backspace || key.delete) return setText([...text].slice(0, -1).join(''));
      if (key.escape || key.ctrl || key.meta || key.leftArrow || key.rightArrow) return;
      // Keys typed faster than a read arrive as one chunk: one line then Enter is text + send.
      // A chunk with line breaks inside is a paste: its line breaks stay in the text.
      if (/^[^\r\n]+\r$/.test(input)) {
        const t = text + input.slice(0, -1);
        setHist(undefined);
        if (t.trim()) {
          cur.current = '';
          return p.onSubmit(t);
        }
        return setText(t);
      }
      if (input) setText(text + input.replace(/\r\n?/g, '\n'));
    },
    { isActive: p.active },
  );
  const lines = p.text.split('\n');
  const comp = completions(p.text);
  return h(
    Box,
    { flexDirection: 'column' },
    h(
      Box,
      { borderStyle: 'round', borderColor: p.active ? 'cyan' : 'gray', flexDirection: 'column', paddingX: 1 },
      ...lines.map((l, i) =>
        h(Text, { key: i }, h(Text, { color: 'cyan' }, i === 0 ? '› ' : '  '), l, i === lines.length - 1 && p.active ? h(Text, { inverse: true }, ' ') : null),
      ),
    ),
    comp.length ? h(Box, { flexDirection: 'column', paddingX: 2 }, ...comp.map((c, i) => h(Text, { key: c.name, color: i === 0 ? 'cyan' : undefined }, `/${c.name.padEnd(10)} `, h(Text, { dimColor: true }, c.summary)))) : null,
    p.hint ? h(Box, { paddingX: 2 }, h(Text, { dimColor: true }, p.hint)) : null,
  );
}
