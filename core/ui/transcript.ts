// Transcript entries as Ink elements: messages, commands (status + folded output), diffs, plan.
import React from 'react';
import { Box, Text } from 'ink';
import type { Entry } from './controller.js';
import type { DiffLine } from './diff-lines.js';
import { graphemes, graphemeWidth, textWidth } from './text-width.js';

const h = React.createElement;

/** Lines of a command's output shown under it; the rest is folded into a count. */
export const FOLDED_LINES = 4;

export function fold(output: string, keep = FOLDED_LINES): { shown: string[]; hidden: number } {
  const lines = output.replace(/\n$/, '').split('\n');
  if (output === '') return { shown: [], hidden: 0 };
  if (lines.length <= keep) return { shown: lines, hidden: 0 };
  return { shown: lines.slice(-keep), hidden: lines.length - keep };
}

/**
 * The end of a message being streamed that fits `rows` terminal rows of `cols` columns (whole
 * lines, the first one marked when earlier ones are left out): the live area must stay smaller
 * than the screen, or the terminal scrolls it and the redraw leaves copies behind.
 */
export function tailRows(text: string, cols: number, rows: number): string {
  const width = Math.max(1, cols);
  const lines = text.split('\n');
  const rowsOf = (l: string) => Math.max(1, Math.ceil(textWidth(l) / width));
  if (lines.reduce((n, l) => n + rowsOf(l), 0) <= rows) return text;
  // Cut: one row goes to the mark.
  const budget = Math.max(1, rows - 1);
  let used = 0;
  let i = lines.length;
  while (i > 0 && used + rowsOf(lines[i - 1]!) <= budget) used += rowsOf(lines[--i]!);
  // Not even the last line fits: its end, from a row boundary.
  if (i === lines.length) return ['…', lastColumns(lines.at(-1)!, width * budget)].join('\n');
  return ['…', ...lines.slice(i)].join('\n');
}

function lastColumns(line: string, n: number): string {
  const gs = graphemes(line);
  let w = 0;
  let k = gs.length;
  while (k > 0 && w + graphemeWidth(gs[k - 1]!) <= n) w += graphemeWidth(gs[--k]!);
  return gs.slice(k).join('');
}

/** The command as the model wrote it: the shell wrapper the exec tool adds is left out. */
export function displayCommand(cmd: string): string {
  const m = /^(?:\/bin\/|\/usr\/bin\/)?(?:ba|z)?sh -l?c ('(?:[^']|'\\'')*')$/s.exec(cmd);
  return m ? m[1]!.slice(1, -1).replace(/'\\''/g, "'") : cmd;
}

const STATUS: Record<string, { mark: string; color: string }> = {
  in_progress: { mark: '…', color: 'yellow' },
  completed: { mark: '✓', color: 'green' },
  failed: { mark: '✗', color: 'red' },
  declined: { mark: '⊘', color: 'red' },
};

function diffColor(k: DiffLine['kind']): string | undefined {
  return k === 'add' ? 'green' : k === 'del' ? 'red' : k === 'hunk' ? 'cyan' : undefined;
}

export function EntryView({ entry }: { entry: Entry }): React.ReactElement {
  switch (entry.kind) {
    case 'user':
      // A margin, not a trailing space: the space at the end of a Text is dropped when the text beside it wraps.
      return h(Box, { marginTop: 1 }, h(Box, { marginRight: 1, flexShrink: 0 }, h(Text, { bold: true, color: 'cyan' }, '›')), h(Text, null, entry.text));
    case 'agent':
      return h(Box, { marginTop: 1 }, h(Box, { marginRight: 1, flexShrink: 0 }, h(Text, { bold: true, color: 'magenta' }, 'codex')), h(Text, null, entry.text));
    case 'reasoning':
      return h(Box, { marginTop: 1 }, h(Text, { dimColor: true, italic: true }, `thinking: ${entry.text}`));
    case 'command': {
      const st = STATUS[entry.status] ?? STATUS.completed!;
      const { shown, hidden } = fold(entry.output);
      const exit = entry.exitCode === null ? '' : ` (exit ${entry.exitCode})`;
      return h(
        Box,
        { flexDirection: 'column', marginTop: 1 },
        h(Text, null, h(Text, { color: st.color }, `${st.mark} `), h(Text, { bold: true }, `$ ${displayCommand(entry.command)}`), h(Text, { dimColor: true }, entry.status === 'in_progress' ? ' running…' : exit)),
        ...shown.map((l, i) => h(Text, { key: i, dimColor: true, wrap: 'truncate-end' }, `  │ ${l}`)),
        hidden > 0 ? h(Text, { key: 'more', dimColor: true }, `  │ … +${hidden} lines`) : null,
      );
    }
    case 'patch': {
      const st = STATUS[entry.status] ?? STATUS.completed!;
      return h(
        Box,
        { flexDirection: 'column', marginTop: 1 },
        h(Text, null, h(Text, { color: st.color }, `${st.mark} `), h(Text, { bold: true }, `apply_patch ${entry.changes.map((c) => `${c.kind} ${c.path}`).join(', ')}`), h(Text, { dimColor: true }, ` ${entry.status}`)),
        ...entry.diff.map((l, i) => h(Text, { key: i, color: diffColor(l.kind), bold: l.kind === 'file', wrap: 'truncate-end' }, `  ${l.text}`)),
      );
    }
    case 'plan':
      return h(
        Box,
        { flexDirection: 'column', marginTop: 1 },
        h(Text, { bold: true }, 'plan'),
        ...entry.items.map((it, i) => h(Text, { key: i, color: it.completed ? 'green' : undefined }, `  ${it.completed ? '[x]' : '[ ]'} ${it.text}`)),
      );
    case 'info':
      return h(Box, { marginTop: 1 }, h(Text, { dimColor: true }, entry.text));
    case 'warning':
      return h(Box, { marginTop: 1 }, h(Text, { color: 'yellow' }, `⚠ ${entry.text}`));
    case 'error':
      return h(Box, { marginTop: 1 }, h(Text, { color: 'red' }, `■ ${entry.text}`));
  }
}
