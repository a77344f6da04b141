// The turn's event stream: `--json` JSONL on stdout (shapes of Codex 0.169 `codex exec --json`), a
// readable transcript on stderr, or the interactive UI. Text deltas are for live display only: 0.169's
// `exec --json` has no such event, so neither sink here writes them.
import { assertNever } from '../../protocol/index.js';
import type { Usage } from '../model/index.js';

export type ThreadItem =
  | { id: string; type: 'agent_message'; text: string }
  | { id: string; type: 'reasoning'; text: string }
  | { id: string; type: 'command_execution'; command: string; aggregated_output: string; exit_code: number | null; status: 'in_progress' | 'completed' | 'failed' | 'declined' }
  | { id: string; type: 'file_change'; changes: { path: string; kind: string }[]; status: 'in_progress' | 'completed' | 'failed' | 'declined' }
  | { id: string; type: 'todo_list'; items: { text: string; completed: boolean }[] }
  | { id: string; type: 'error'; message: string };

export type ExecEvent =
  | { type: 'thread.started'; thread_id: string }
  | { type: 'turn.started' }
  | { type: 'item.started'; item: ThreadItem }
  | { type: 'item.updated'; item: ThreadItem }
  | { type: 'item.completed'; item: ThreadItem }
  | { type: 'turn.completed'; usage: Omit<Usage, 'total_tokens'> }
  | { type: 'turn.failed'; error: { message: string } }
  /** `final`: the turn's own failure (never serialized; the transcript leaves it to the caller's last line). */
  | { type: 'error'; message: string; final?: boolean }
  | AgentMessageDelta;

/**
 * A piece of the agent message being streamed (never serialized). `stream` numbers the model
 * requests and retries of the turn: text of an earlier stream is superseded (a retry starts the
 * message again); the message's item.completed replaces all the pieces.
 */
export interface AgentMessageDelta {
  type: 'agent_message.delta';
  stream: number;
  delta: string;
}

export type EventSink = (e: ExecEvent) => void;

export function jsonSink(write: (s: string) => void): EventSink {
  return (e) => {
    if (e.type === 'agent_message.delta') return;
    if (e.type === 'error' && e.final !== undefined) {
      const { final: _f, ...rest } = e;
      write(JSON.stringify(rest) + '\n');
      return;
    }
    write(JSON.stringify(e) + '\n');
  };
}

/** Human transcript on stderr. */
export function transcriptSink(write: (s: string) => void): EventSink {
  return (e) => {
    switch (e.type) {
      case 'thread.started':
        write(`codex session ${e.thread_id}\n`);
        return;
      case 'turn.started':
        return;
      case 'item.started':
        if (e.item.type === 'command_execution') write(`\n$ ${e.item.command}\n`);
        if (e.item.type === 'file_change') write(`\napply_patch: ${e.item.changes.map((c) => `${c.kind} ${c.path}`).join(', ')}\n`);
        if (e.item.type === 'todo_list') write(planText(e.item.items));
        return;
      case 'item.updated':
        if (e.item.type === 'todo_list') write(planText(e.item.items));
        return;
      case 'item.completed': {
        const it = e.item;
        switch (it.type) {
          case 'agent_message':
            write(`\ncodex: ${it.text}\n`);
            return;
          case 'reasoning':
            write(`\nthinking: ${it.text}\n`);
            return;
          case 'command_execution': {
            const out = it.aggregated_output.length > 2000 ? it.aggregated_output.slice(0, 2000) + '\n[…]\n' : it.aggregated_output;
            if (it.status === 'declined') write(`\n$ ${it.command}\n  declined: ${out}\n`);
            else write(`${out}${out && !out.endsWith('\n') ? '\n' : ''}  → exit ${it.exit_code}\n`);
            return;
          }
          case 'file_change':
            write(`  → patch ${it.status}\n`);
            return;
          case 'todo_list':
            return;
          case 'error':
            write(`warning: ${it.message}\n`);
            return;
          default:
            return assertNever(it, 'thread item');
        }
      }
      case 'turn.completed':
        write(`\ntokens used: ${e.usage.input_tokens + e.usage.output_tokens}\n`);
        return;
      case 'turn.failed':
        // The caller prints the failure once, with its code, as the last line.
        return;
      case 'agent_message.delta':
        // The transcript prints the whole message once it is complete.
        return;
      case 'error':
        if (!e.final) write(`error: ${e.message}\n`);
        return;
      default:
        return assertNever(e, 'exec event');
    }
  };
}

function planText(items: { text: string; completed: boolean }[]): string {
  return `\nplan:\n${items.map((i) => `  [${i.completed ? 'x' : ' '}] ${i.text}`).join('\n')}\n`;
}
