// The composer: multi-line input edited anywhere (cursor keys, Home/End, word moves, kills), Enter
// sends, Ctrl-J / Alt-Enter / a pasted line break add a line; ↑/↓ move between the rows on screen
// (a long line wraps into several) and go through earlier prompts from the first / last row;
// slash-command completion with Tab.
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text, useStdin, useStdout } from 'ink';
import * as ed from './editor.js';
import { decodeKeys, type ComposerKey } from './keys.js';
import { completions } from './slash.js';

const h = React.createElement;

/** Bracketed paste: the terminal marks a pasted text, so its line breaks are not taken for Enter. */
export const BRACKETED_PASTE_ON = '\x1b[?2004h';
export const BRACKETED_PASTE_OFF = '\x1b[?2004l';

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
  const [, redraw] = useState(0);
  // Several keys can arrive before React renders again: the latest edit lives here. A text set from
  // outside (cleared by Ctrl-C or after sending) puts the cursor at its end. Only a change of the
  // prop counts: Ink renders synchronously on each state update, so a render may still carry the
  // text from before the last key.
  const cur = useRef<ed.Edit>(ed.atEnd(p.text));
  const lastProp = useRef(p.text);
  if (p.text !== lastProp.current) {
    lastProp.current = p.text;
    if (p.text !== cur.current.text) cur.current = ed.atEnd(p.text);
  }
  const pasting = useRef(false);
  const props = useRef(p);
  props.current = p;
  const histRef = useRef(hist);
  histRef.current = hist;

  const { internal_eventEmitter: events, setRawMode } = useStdin();
  const { stdout } = useStdout();
  // The text's columns: the frame's border and padding and the prompt take six. The composer cuts
  // its rows itself, so ↑/↓ move by the rows on screen.
  const width = Math.max(1, (stdout.columns || 80) - 6);
  const widthRef = useRef(width);
  widthRef.current = width;
  useEffect(() => {
    if (!p.active) return;
    setRawMode(true);
    // Only while the composer has the keys: a dialog (picker, pager, approval) reads pastes as keys.
    if (stdout.isTTY) stdout.write(BRACKETED_PASTE_ON);
    return () => {
      if (stdout.isTTY) stdout.write(BRACKETED_PASTE_OFF);
      pasting.current = false;
      setRawMode(false);
    };
  }, [p.active, setRawMode, stdout]);

  useEffect(() => {
    if (!p.active) return;
    const apply = (e: ed.Edit) => {
      const changed = e.text !== cur.current.text;
      cur.current = e;
      if (changed) props.current.setText(e.text);
      else redraw((n) => n + 1);
    };
    const goHistory = (i: number | undefined) => {
      const q = props.current;
      setHist(i);
      histRef.current = i;
      apply(ed.atEnd(i === undefined ? '' : q.history[i]!));
    };
    const send = (text: string) => {
      setHist(undefined);
      histRef.current = undefined;
      cur.current = ed.atEnd('');
      props.current.onSubmit(text);
    };
    const onInput = (seq: string) => {
      for (const key of decodeKeys(seq)) onKey(key, key.kind === 'text' ? key.text : seq);
    };
    const onKey = (key: ComposerKey, seq: string) => {
      const q = props.current;
      const e = cur.current;
      if (pasting.current && key.kind !== 'pasteEnd') {
        // Inside a bracketed paste everything is text; its line breaks stay.
        if (key.kind === 'text' || key.kind === 'enter' || key.kind === 'newline' || key.kind === 'tab') return apply(ed.insert(e, seq.replace(/\r\n?/g, '\n')));
        return;
      }
      switch (key.kind) {
        case 'pasteStart':
          pasting.current = true;
          return;
        case 'pasteEnd':
          pasting.current = false;
          return;
        case 'interrupt':
          return q.onInterrupt(e.text);
        case 'enter':
          if (e.text.trim()) send(e.text);
          return;
        case 'newline':
          return apply(ed.insert(e, '\n'));
        case 'tab': {
          const c = completions(e.text);
          if (c.length) apply(ed.atEnd(`/${c[0]!.name} `));
          return;
        }
        case 'up': {
          const moved = ed.up(e, widthRef.current);
          if (moved) return apply(moved);
          if (!q.history.length) return;
          const i = histRef.current;
          return goHistory(i === undefined ? q.history.length - 1 : Math.max(0, i - 1));
        }
        case 'down': {
          const moved = ed.down(e, widthRef.current);
          if (moved) return apply(moved);
          const i = histRef.current;
          if (i === undefined) return;
          return goHistory(i + 1 >= q.history.length ? undefined : i + 1);
        }
        case 'left':
          return apply(ed.left(e));
        case 'right':
          return apply(ed.right(e));
        case 'home':
          return apply(ed.home(e));
        case 'end':
          return apply(ed.end(e));
        case 'wordLeft':
          return apply(ed.wordLeft(e));
        case 'wordRight':
          return apply(ed.wordRight(e));
        case 'backspace':
          return apply(ed.backspace(e));
        case 'delete':
          return apply(ed.del(e));
        case 'killLineStart':
          return apply(ed.killToLineStart(e));
        case 'killLineEnd':
          return apply(ed.killToLineEnd(e));
        case 'killWordBack':
          return apply(ed.killWordBack(e));
        case 'escape':
        case 'ignored':
          return;
        case 'text': {
          // Keys typed faster than a read arrive as one chunk: one line then Enter is text + send.
          // Other line breaks in a chunk are a paste (terminal without bracketed paste): they stay.
          if (/^[^\r\n]+\r$/.test(key.text)) {
            const t = ed.insert(e, key.text.slice(0, -1));
            if (t.text.trim()) return send(t.text);
            return apply(t);
          }
          return apply(ed.insert(e, key.text.replace(/\r\n?/g, '\n')));
        }
        default:
          return key satisfies never;
      }
    };
    events.on('input', onInput);
    return () => void events.off('input', onInput);
  }, [p.active, events]);

  const lines = ed.cursorRows(cur.current, width);
  const comp = completions(p.text);
  return h(
    Box,
    { flexDirection: 'column' },
    h(
      Box,
      { borderStyle: 'round', borderColor: p.active ? 'cyan' : 'gray', flexDirection: 'column', paddingX: 1 },
      ...lines.map((l, i) =>
        h(Text, { key: i }, h(Text, { color: 'cyan' }, i === 0 ? '› ' : '  '), l.before, l.cursor && p.active ? h(Text, { inverse: true }, l.at) : l.at === ' ' ? '' : l.at, l.after),
      ),
    ),
    comp.length ? h(Box, { flexDirection: 'column', paddingX: 2 }, ...comp.map((c, i) => h(Text, { key: c.name, color: i === 0 ? 'cyan' : undefined }, `/${c.name.padEnd(10)} `, h(Text, { dimColor: true }, c.summary)))) : null,
    p.hint ? h(Box, { paddingX: 2 }, h(Text, { dimColor: true }, p.hint)) : null,
  );
}
