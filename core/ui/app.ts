// The full-screen session: transcript, approval prompt, composer, status line; the picker and
// the /diff pager as dialogs over it.
import { spawnSync } from 'node:child_process';
import React, { useEffect, useState, useSyncExternalStore } from 'react';
import { Box, Static, Text, useApp, useInput, useStdout } from 'ink';
import { parseApprovalPolicy } from '../agent/index.js';
import { Composer } from './composer.js';
import type { Entry, SessionController } from './controller.js';
import { Picker } from './picker.js';
import { parseSlash, SLASH_COMMANDS } from './slash.js';
import { displayCommand, EntryView, tailRows } from './transcript.js';

const h = React.createElement;

type Dialog = { kind: 'picker' } | { kind: 'pager'; title: string; lines: string[] };

export interface AppProps {
  controller: SessionController;
  home: string;
  /** A first prompt (`codex PROMPT`), sent once on start. */
  initialPrompt?: string;
  resume: (id: string) => Promise<void>;
  newSession: () => Promise<void>;
}

export function App(p: AppProps): React.ReactElement {
  const c = p.controller;
  const state = useSyncExternalStore(
    (fn) => c.subscribe(fn),
    () => c.state,
  );
  const app = useApp();
  const [text, setText] = useState('');
  const [history, setHistory] = useState<string[]>([]);
  const [dialog, setDialog] = useState<Dialog | undefined>(undefined);
  const [armed, setArmed] = useState(false);
  // Bumped on resize: the transcript is printed again after the screen was cleared (index.ts).
  const [epoch, setEpoch] = useState(0);
  const { stdout } = useStdout();
  useEffect(() => {
    const bump = () => setEpoch((n) => n + 1);
    stdout.on('resize', bump);
    return () => void stdout.off('resize', bump);
  }, [stdout]);

  useEffect(() => {
    if (p.initialPrompt) void c.submit(p.initialPrompt);
  }, []);

  const slash = async (name: string, arg: string) => {
    const s = state.session;
    switch (name) {
      case 'quit':
      case 'exit':
        return app.exit();
      case 'new':
        return p.newSession().then(() => c.info(`new session ${c.state.session.threadId}`), (e: Error) => c.info(e.message, 'error'));
      case 'resume':
        return setDialog({ kind: 'picker' });
      case 'status': {
        const t = s.totals;
        return c.info(
          [`session   ${s.threadId}`, `rollout   ${s.writer.path}`, `model     ${s.model} (${s.provider.id})`, `sandbox   ${s.sandboxMode}`, `approvals ${s.approvalPolicy}`, `cwd       ${s.cwd}`, `tokens    ${t.input_tokens} in (${t.cached_input_tokens} cached), ${t.output_tokens} out`].join('\n'),
        );
      }
      case 'diff': {
        const r = spawnSync('git', ['diff', '--no-color'], { cwd: s.cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
        const out = r.error ? `git: ${r.error.message}` : r.status !== 0 ? r.stderr.trim() || `git diff exited ${r.status}` : r.stdout || '(no changes)';
        return setDialog({ kind: 'pager', title: `git diff — ${s.cwd}`, lines: out.replace(/\n$/, '').split('\n') });
      }
      case 'model':
        if (!arg) return c.info(`model: ${s.model}`);
        c.setModel(arg);
        return c.info(`model set to ${arg}`);
      case 'approvals':
        if (!arg) return c.info(`approval policy: ${s.approvalPolicy} (untrusted | on-request | on-failure | never)`);
        try {
          c.setApprovalPolicy(parseApprovalPolicy(arg));
          return c.info(`approval policy set to ${arg}`);
        } catch (e) {
          return c.info((e as Error).message, 'error');
        }
      default:
        return c.info(`unknown command /${name} (${SLASH_COMMANDS.map((x) => '/' + x.name).join(' ')})`, 'error');
    }
  };

  const submit = (t: string) => {
    setText('');
    setArmed(false);
    setHistory((hs) => (hs.at(-1) === t ? hs : [...hs, t]));
    const sl = parseSlash(t);
    if (sl && t.trim().startsWith('/')) return void slash(sl.name, sl.arg);
    if (state.running) return c.info('a turn is running: wait, or Ctrl-C to interrupt it', 'warning');
    void c.submit(t);
  };

  const onInterrupt = (t: string) => {
    if (c.interrupt()) return;
    if (t) {
      setText('');
      return;
    }
    if (armed) return app.exit();
    setArmed(true);
  };

  useInput(
    (input, key) => {
      const a = state.approval;
      if (!a) return;
      if (key.ctrl && input === 'c') return void c.interrupt();
      const k = input.toLowerCase();
      if (k === 'y') c.answerApproval('once');
      else if (k === 'a') c.answerApproval('always');
      else if (k === 'n' || key.escape) c.answerApproval('no');
    },
    { isActive: !!state.approval && !dialog },
  );

  if (dialog?.kind === 'picker') {
    return h(Picker, {
      home: p.home,
      onCancel: () => setDialog(undefined),
      onSelect: (id) => {
        setDialog(undefined);
        p.resume(id).then(
          () => c.info(`resumed session ${id}`),
          (e: Error) => c.info(e.message, 'error'),
        );
      },
    });
  }
  if (dialog?.kind === 'pager') return h(Pager, { title: dialog.title, lines: dialog.lines, onClose: () => setDialog(undefined) });

  // Finished entries go to the terminal's scrollback once (Static); the live tail re-renders.
  const firstLive = liveFrom(state.entries, state.running);
  const s = state.session;
  const tokens = s.totals.input_tokens + s.totals.output_tokens;
  return h(
    Box,
    { flexDirection: 'column' },
    h(Static<{ e: Entry; i: number }>, {
      key: `${s.threadId}:${epoch}`,
      // Static is laid out out of the flow (absolute): without a width its text wraps wider than the terminal.
      style: { width: stdout.columns || 80 },
      items: state.entries.slice(0, firstLive).map((e, i) => ({ e, i })),
      children: (x: { e: Entry; i: number }) => h(EntryView, { key: x.i, entry: x.e }),
    }),
    ...state.entries.slice(firstLive).map((e, i) => h(EntryView, { key: firstLive + i, entry: e })),
    // The agent's message as it arrives; its completed item then goes to the transcript above.
    state.streaming ? h(EntryView, { key: 'streaming', entry: { kind: 'agent', text: tailRows(state.streaming.text, (stdout.columns || 80) - 6, Math.max(3, (stdout.rows || 24) - 12)) } }) : null,
    state.approval
      ? h(
          Box,
          { flexDirection: 'column', borderStyle: 'round', borderColor: 'yellow', paddingX: 1, marginTop: 1 },
          h(Text, { bold: true, color: 'yellow' }, state.approval.kind === 'exec' ? 'Run this command?' : 'Apply this patch?'),
          h(Text, { bold: true }, state.approval.kind === 'exec' ? `$ ${displayCommand(state.approval.subject)}` : state.approval.subject),
          h(Text, { dimColor: true }, `why: ${state.approval.reason}`),
          h(Text, null, h(Text, { color: 'green' }, 'y'), ' run once   ', h(Text, { color: 'green' }, 'a'), ' always (this session)   ', h(Text, { color: 'red' }, 'n'), '/Esc no'),
        )
      : null,
    state.running && !state.approval ? h(Text, { color: 'yellow' }, '● working… (Ctrl-C to interrupt)') : null,
    h(Composer, {
      active: !state.approval,
      history,
      text,
      setText: (t: string) => {
        setArmed(false);
        setText(t);
      },
      onSubmit: submit,
      onInterrupt,
      hint: armed ? 'press Ctrl-C again to quit' : undefined,
    }),
    h(
      Text,
      { dimColor: true, wrap: 'truncate-end' },
      `${s.model} · ${s.sandboxMode} · approvals ${s.approvalPolicy} · ${s.cwd} · ${s.threadId}` +
        (tokens ? ` · ${tokens} tokens` : '') +
        (state.lastUsage ? ` (last turn ${state.lastUsage.input_tokens}+${state.lastUsage.output_tokens})` : ''),
    ),
  );
}

/** Index of the first entry that may still change: a running command/patch, or the turn's plan. */
function liveFrom(entries: Entry[], running: boolean): number {
  if (!running) return entries.length;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if ((e.kind === 'command' || e.kind === 'patch') && e.status === 'in_progress') return i;
    if (e.kind === 'plan') return i;
  }
  return entries.length;
}

export function Pager({ title, lines, onClose }: { title: string; lines: string[]; onClose: () => void }): React.ReactElement {
  const { stdout } = useStdout();
  const rows = Math.max(3, (stdout?.rows ?? 24) - 3);
  const [top, setTop] = useState(0);
  const max = Math.max(0, lines.length - rows);
  useInput((input, key) => {
    if (key.escape || input === 'q' || (key.ctrl && input === 'c')) return onClose();
    if (key.downArrow || input === 'j') setTop(Math.min(max, top + 1));
    if (key.upArrow || input === 'k') setTop(Math.max(0, top - 1));
    if (key.pageDown || input === ' ') setTop(Math.min(max, top + rows));
    if (key.pageUp || input === 'b') setTop(Math.max(0, top - rows));
  });
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, { bold: true }, title),
    ...lines.slice(top, top + rows).map((l, i) =>
      h(Text, { key: top + i, wrap: 'truncate-end', color: l.startsWith('+') && !l.startsWith('+++') ? 'green' : l.startsWith('-') && !l.startsWith('---') ? 'red' : l.startsWith('@@') ? 'cyan' : undefined }, l || ' '),
    ),
    h(Text, { dimColor: true }, `lines ${top + 1}-${Math.min(lines.length, top + rows)} of ${lines.length} · ↑/↓ PgUp/PgDn · Esc or q closes`),
  );
}
