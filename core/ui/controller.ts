// The UI's model of a session: a list of transcript entries fed by the agent core's exec event
// stream (runTurn, as `codex exec`), approvals waiting for an answer, and the turn's lifecycle.
// No React here: components subscribe and render `state`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTurn, type ApprovalPolicy, type Approver, type ExecEvent, type Session, type TurnResult } from '../agent/index.js';
import type { Usage } from '../model/index.js';
import type { Workspace } from './setup.js';
import { fileDiff, type DiffLine } from './diff-lines.js';
import { DeferredWriter } from './deferred-writer.js';

export type Entry =
  | { kind: 'user'; text: string }
  | { kind: 'agent'; text: string }
  | { kind: 'reasoning'; text: string }
  | { kind: 'command'; id: string; command: string; status: string; output: string; exitCode: number | null }
  | { kind: 'patch'; id: string; changes: { path: string; kind: string }[]; status: string; diff: DiffLine[] }
  | { kind: 'plan'; id: string; items: { text: string; completed: boolean }[] }
  | { kind: 'info' | 'warning' | 'error'; text: string };

export type ApprovalChoice = 'once' | 'always' | 'no';

export interface PendingApproval {
  kind: 'exec' | 'patch';
  subject: string;
  reason: string;
}

export interface UiState {
  entries: Entry[];
  running: boolean;
  approval?: PendingApproval;
  session: Session;
  /** The last turn's usage and the session's total. */
  lastUsage?: Omit<Usage, 'total_tokens'>;
  /** The agent message arriving now (text deltas so far), until its item completes. */
  streaming?: { stream: number; text: string };
}

export class SessionController {
  state: UiState;
  private listeners = new Set<() => void>();
  private ctrl?: AbortController;
  private answer?: (a: 'approved' | 'denied') => void;
  private always = new Set<string>();
  private before = new Map<string, Map<string, string>>();
  private turn?: Promise<TurnResult>;

  constructor(
    private ws: Workspace,
    session: Session,
  ) {
    this.state = { entries: [], running: false, session };
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(patch: Partial<UiState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  private push(e: Entry): void {
    this.set({ entries: [...this.state.entries, e] });
  }

  private replace(match: (e: Entry) => boolean, next: Entry): void {
    const entries = [...this.state.entries];
    const i = entries.findLastIndex(match);
    if (i >= 0) entries[i] = next;
    else entries.push(next);
    this.set({ entries });
  }

  info(text: string, kind: 'info' | 'warning' | 'error' = 'info'): void {
    this.push({ kind, text });
  }

  /** Run one turn through the agent core; resolves when it ends (completed, failed or interrupted). */
  submit(prompt: string): Promise<TurnResult> | undefined {
    if (this.state.running) return undefined;
    if (this.ws.keyError) {
      this.info(this.ws.keyError, 'error');
      return undefined;
    }
    const ctrl = new AbortController();
    this.ctrl = ctrl;
    this.push({ kind: 'user', text: prompt });
    this.set({ running: true });
    const s = this.state.session;
    const opened = s.writer instanceof DeferredWriter ? s.writer.open() : Promise.resolve();
    this.turn = opened
      .then(() => runTurn(s, prompt, { ...this.ws.turnDeps, sink: (e) => this.onEvent(e), signal: ctrl.signal, approve: this.approver() }))
      .catch((e: unknown): TurnResult => ({ status: 'failed', message: e instanceof Error ? e.message : String(e) }))
      .then((r) => {
        // What was streamed of an interrupted message stays on screen (the model's history has none of it).
        const partial = this.state.streaming?.text;
        this.state = { ...this.state, streaming: undefined };
        if (r.status === 'interrupted' && partial) this.push({ kind: 'agent', text: `${partial} …` });
        if (r.status === 'interrupted') this.info('interrupted; the session is saved', 'warning');
        else if (r.status === 'failed') this.info(r.message + (r.code ? ` [${r.code}]` : ''), 'error');
        this.ctrl = undefined;
        this.set({ running: false, approval: undefined, streaming: undefined });
        return r;
      });
    return this.turn;
  }

  /** Ctrl-C during a turn: abort it (a pending approval is declined). */
  interrupt(): boolean {
    if (!this.ctrl) return false;
    this.ctrl.abort();
    this.answerApproval('no');
    return true;
  }

  answerApproval(choice: ApprovalChoice): void {
    const a = this.state.approval;
    const done = this.answer;
    if (!a || !done) return;
    if (choice === 'always') this.always.add(`${a.kind}\0${a.subject}`);
    this.answer = undefined;
    this.set({ approval: undefined });
    done(choice === 'no' ? 'denied' : 'approved');
  }

  private approver(): Approver {
    return (req) => {
      if (this.always.has(`${req.kind}\0${req.subject}`)) return Promise.resolve('approved');
      if (this.ctrl?.signal.aborted) return Promise.resolve('denied');
      return new Promise((resolve) => {
        this.answer = resolve;
        this.set({ approval: { kind: req.kind, subject: req.subject, reason: req.reason } });
      });
    };
  }

  private onEvent(e: ExecEvent): void {
    switch (e.type) {
      case 'item.started':
      case 'item.updated':
      case 'item.completed': {
        const it = e.item;
        const final = e.type === 'item.completed';
        switch (it.type) {
          case 'agent_message':
            // The complete message takes the place of its streamed pieces.
            this.state = { ...this.state, streaming: undefined };
            return this.push({ kind: 'agent', text: it.text });
          case 'reasoning':
            return this.push({ kind: 'reasoning', text: it.text });
          case 'command_execution':
            return this.replace((x) => x.kind === 'command' && x.id === it.id, { kind: 'command', id: it.id, command: it.command, status: it.status, output: it.aggregated_output, exitCode: it.exit_code });
          case 'file_change': {
            if (!final) this.before.set(it.id, snapshot(it.changes.map((c) => c.path)));
            const before = this.before.get(it.id);
            const shown = (p: string) => relativeTo(this.state.session.cwd, p);
            const diff = final && before ? it.changes.flatMap((c) => fileDiff(shown(c.path), before.get(c.path) ?? '', readOr(c.path))) : [];
            if (final) this.before.delete(it.id);
            const changes = it.changes.map((c) => ({ ...c, path: shown(c.path) }));
            return this.replace((x) => x.kind === 'patch' && x.id === it.id, { kind: 'patch', id: it.id, changes, status: it.status, diff });
          }
          case 'todo_list':
            return this.replace((x) => x.kind === 'plan' && x.id === it.id, { kind: 'plan', id: it.id, items: it.items });
          case 'error':
            return this.push({ kind: 'warning', text: it.message });
        }
        return;
      }
      case 'agent_message.delta': {
        const cur = this.state.streaming;
        // A new stream (the next request, or a retry) starts the message again.
        const text = cur && cur.stream === e.stream ? cur.text + e.delta : e.delta;
        return this.set({ streaming: { stream: e.stream, text } });
      }
      case 'turn.completed':
        return this.set({ lastUsage: e.usage });
      case 'error':
        if (!e.final) this.push({ kind: 'warning', text: e.message });
        return;
      default:
        return;
    }
  }

  /** /new and /resume: end this session's rollout and carry on in another. */
  async switchTo(next: () => Promise<Session>): Promise<void> {
    if (this.state.running) throw new Error('a turn is running (Ctrl-C first)');
    const s = await next();
    this.state.session.writer.close();
    this.always.clear();
    this.set({ session: s, entries: [], lastUsage: undefined });
  }

  setModel(model: string): void {
    this.state.session.model = model;
    this.set({});
  }

  setApprovalPolicy(p: ApprovalPolicy): void {
    this.state.session.approvalPolicy = p;
    this.set({});
  }

  /** Whether this session has a rollout file (a new one has none until its first turn). */
  get recorded(): boolean {
    const w = this.state.session.writer;
    return !(w instanceof DeferredWriter) || w.written;
  }

  /** Stop any turn, kill its commands and close the rollout. */
  async close(): Promise<void> {
    this.interrupt();
    await this.turn?.catch(() => undefined);
    await this.ws.turnDeps.processes?.closeAll();
    this.state.session.writer.close();
  }
}

/** A path inside the workspace is shown relative to it. */
function relativeTo(cwd: string, p: string): string {
  const r = path.relative(cwd, p);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : p;
}

function readOr(p: string): string {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

function snapshot(paths: string[]): Map<string, string> {
  return new Map(paths.map((p) => [p, readOr(p)]));
}
