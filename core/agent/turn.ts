// One turn: send history to the model, run the tools it calls, feed outputs back, until it answers
// without tool calls. Every step is recorded in the rollout (Codex 0.169 line shapes) and reported
// as exec events.
import { pathToFileURL } from 'node:url';
import { assertNever, CodexError, isCodexError, shJoin } from '../../protocol/index.js';
import { addUsage, emptyUsage, streamResponse, type OutputItem, type Usage, type WireItem } from '../model/index.js';
import { finishedKilled, ProcessManager, runTool, type ShellSnapshot, toolSpecs, type SpawnPreparer, type ToolCall, type ToolEvent, type ToolOutcome, type Approver } from '../tools/index.js';
import { agentsMessage } from './project.js';
import { requestHeaders } from './headers.js';
import { serialized, pool } from './pool.js';
import type { EventSink, ThreadItem } from './events.js';
import { uuidv7 } from '../../rollout/index.js';
import { environmentContext, permissionsText } from './instructions.js';
import { nextItemId, type Session } from './session.js';

export interface TurnDeps {
  sink: EventSink;
  signal: AbortSignal;
  approve: Approver;
  prepare: SpawnPreparer;
  selfExe: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Stop after this many model requests in one turn (a runaway guard). */
  maxRequests?: number;
  /** The session's long-running commands (unified exec); killed when the turn ends. */
  processes?: ProcessManager;
  /** Calls of one response run at most this many at once. */
  parallelCalls?: number;
  /** The login shell's set-up, taken while the first request is under way. */
  snapshot?: ShellSnapshot;
}

export type TurnResult = { status: 'completed'; lastMessage?: string } | { status: 'failed'; message: string; code?: string } | { status: 'interrupted' };

export function emitWarning(s: Pick<Session, 'itemCount'>, sink: EventSink, message: string): void {
  sink({ type: 'item.completed', item: { id: nextItemId(s), type: 'error', message } });
}

function userMessage(text: string): WireItem {
  return { type: 'message', role: 'user', content: [{ type: 'input_text', text }] };
}

export async function runTurn(s: Session, prompt: string, d: TurnDeps): Promise<TurnResult> {
  const turnId = uuidv7();
  const started = Date.now();
  const rec = (type: string, payload: unknown) => s.writer.append(type, payload);
  const meta = { internal_chat_message_metadata_passthrough: { turn_id: turnId } };
  const recordItem = (item: WireItem) => rec('response_item', { ...item, ...meta });
  // 0.169 records finished thread items (user and agent messages, commands, file changes) as item_completed.
  const recCompleted = (item: Record<string, unknown>, startedMs = Date.now()) =>
    rec('event_msg', { type: 'item_completed', thread_id: s.threadId, turn_id: turnId, item, started_at_ms: startedMs, completed_at_ms: Date.now() });
  rec('event_msg', { type: 'task_started', turn_id: turnId, started_at: Math.floor(started / 1000), model_context_window: s.contextWindow, collaboration_mode_kind: 'default' });
  if (!s.hasContext) {
    const roots = s.policy.rules.filter((r) => r.access === 'write').map((r) => r.path);
    const dev: WireItem = { type: 'message', role: 'developer', content: [{ type: 'input_text', text: permissionsText(s.sandboxMode, s.approvalPolicy, s.policy.unrestricted ? [] : roots, s.policy.network) }] };
    const envText = environmentContext(s.cwd, new Date());
    // As 0.169: AGENTS.md and the environment are two parts of one user message.
    const env: WireItem = s.agents
      ? { type: 'message', role: 'user', content: [{ type: 'input_text', text: agentsMessage(s.cwd, s.agents) }, { type: 'input_text', text: envText }] }
      : userMessage(envText);
    for (const it of [dev, env]) {
      s.history.push(it);
      recordItem(it);
    }
    s.hasContext = true;
  }
  rec('turn_context', {
    turn_id: turnId,
    cwd: s.cwd,
    approval_policy: s.approvalPolicy,
    sandbox_policy: sandboxPolicyJson(s),
    model: s.model,
    summary: 'none',
  });
  const user = userMessage(prompt);
  s.history.push(user);
  recordItem(user);
  recCompleted({ type: 'UserMessage', id: uuidv7(), content: [{ type: 'text', text: prompt, text_elements: [] }] });
  d.sink({ type: 'turn.started' });

  let turnUsage: Usage = emptyUsage();
  let lastMessage: string | undefined;
  // The plan is one todo_list item per turn: started, then updated, completed when the turn ends.
  const todo: TodoState = {};
  const processes = d.processes ?? new ProcessManager();
  d.snapshot?.start({ shell: '/bin/bash', cwd: s.cwd, env: d.env, policy: s.policy, prepare: d.prepare });
  const items = new Map<string, string>();
  const onTool = (ev: ToolEvent) => toolEvent(s, ev, items, d.sink, rec, recCompleted, todo);
  const finish = async (r: TurnResult): Promise<TurnResult> => {
    // Commands still running when the turn ends are killed; their items end as failed.
    for (const e of await processes.closeAll()) finishedKilled(e);
    if (todo.item) d.sink({ type: 'item.completed', item: todo.item });
    const times = { started_at: Math.floor(started / 1000), completed_at: Math.floor(Date.now() / 1000), duration_ms: Date.now() - started };
    if (r.status === 'completed') {
      rec('event_msg', { type: 'task_complete', turn_id: turnId, last_agent_message: lastMessage ?? null, ...times });
      const { total_tokens: _t, ...usage } = turnUsage;
      d.sink({ type: 'turn.completed', usage });
    } else if (r.status === 'interrupted') {
      rec('event_msg', { type: 'turn_aborted', turn_id: turnId, reason: 'interrupted' });
      d.sink({ type: 'turn.failed', error: { message: 'interrupted (Ctrl-C)' } });
    } else {
      // As 0.169: a failed turn still ends with task_complete, carrying the error.
      rec('event_msg', { type: 'task_complete', turn_id: turnId, last_agent_message: lastMessage ?? null, ...times, error: { message: r.message, codex_error_info: errorInfo(r.code) } });
      // As 0.169: the error itself, then the turn's failure.
      d.sink({ type: 'error', message: r.message, final: true });
      d.sink({ type: 'turn.failed', error: { message: r.message } });
    }
    s.writer.flush();
    return r;
  };

  const maxRequests = d.maxRequests ?? 200;
  // Each model request, and each retry of one, streams its text afresh.
  let stream = 0;
  for (let req = 0; req < maxRequests; req++) {
    if (d.signal.aborted) return await finish({ status: 'interrupted' });
    stream++;
    let resp;
    try {
      resp = await streamResponse({
        provider: s.provider,
        apiKey: s.apiKey,
        signal: d.signal,
        headers: requestHeaders({ threadId: s.threadId, turnId, version: s.clientVersion, model: s.model, sandboxMode: s.sandboxMode, sandboxed: !s.policy.unrestricted, env: d.env }),
        body: {
          model: s.model,
          instructions: s.baseInstructions,
          input: s.history,
          tools: toolSpecs(),
          tool_choice: 'auto',
          parallel_tool_calls: true,
          reasoning: s.reasoning,
          store: false,
          stream: true,
          include: ['reasoning.encrypted_content'],
          prompt_cache_key: s.threadId,
        },
        onEvent: (ev) => {
          if (ev.type === 'text_delta' && ev.delta) d.sink({ type: 'agent_message.delta', stream, delta: ev.delta });
        },
        onRetry: (n) => {
          stream++;
          const msg = `Reconnecting... ${n.attempt}/${n.maxRetries} in ${(n.delayMs / 1000).toFixed(1)}s (${n.reason})`;
          d.sink({ type: 'error', message: msg });
        },
      });
    } catch (e) {
      if (d.signal.aborted || (isCodexError(e) && e.code === 'INTERRUPTED')) return await finish({ status: 'interrupted' });
      const code = isCodexError(e) ? e.code : undefined;
      return await finish({ status: 'failed', message: e instanceof Error ? e.message : String(e), code });
    }
    turnUsage = addUsage(turnUsage, resp.usage);
    s.totals = addUsage(s.totals, resp.usage);
    const calls: OutputItem[] = [];
    for (const item of resp.items) {
      s.history.push(item.raw);
      recordItem(item.raw);
      switch (item.kind) {
        case 'message':
          if (item.text) {
            lastMessage = item.text;
            d.sink({ type: 'item.completed', item: { id: nextItemId(s), type: 'agent_message', text: item.text } });
            recCompleted({ type: 'AgentMessage', id: item.id ?? uuidv7(), content: [{ type: 'Text', text: item.text }] });
          }
          break;
        case 'reasoning':
          if (item.summary) d.sink({ type: 'item.completed', item: { id: nextItemId(s), type: 'reasoning', text: item.summary } });
          break;
        case 'function_call':
        case 'custom_tool_call':
          calls.push(item);
          break;
        case 'other':
          break;
        default:
          assertNever(item, 'output item');
      }
    }
    rec('event_msg', { type: 'token_count', info: { total_token_usage: s.totals, last_token_usage: resp.usage, model_context_window: s.contextWindow }, rate_limits: null });
    if (calls.length === 0) return await finish({ status: 'completed', lastMessage });
    const toolCalls: ToolCall[] = calls.flatMap((c) =>
      c.kind === 'function_call'
        ? [{ callId: c.callId, name: c.name, input: c.arguments, custom: false } as ToolCall]
        : c.kind === 'custom_tool_call'
          ? [{ callId: c.callId, name: c.name, input: c.input, custom: true } as ToolCall]
          : [],
    );
    // The calls of one response run side by side; approvals are asked one at a time; outputs go
    // back in call order.
    const ctx = {
      cwd: s.cwd,
      policy: s.policy,
      approvalPolicy: s.approvalPolicy,
      approve: serialized(d.approve),
      prepare: d.prepare,
      env: d.env,
      signal: d.signal,
      selfExe: d.selfExe,
      emit: onTool,
      timeoutMs: d.timeoutMs,
      processes,
      threadId: s.threadId,
      version: s.clientVersion,
      ...(d.snapshot ? { snapshot: d.snapshot } : {}),
    };
    const outcomes = await pool(toolCalls, d.parallelCalls ?? 8, (call): Promise<ToolOutcome> =>
      d.signal.aborted ? Promise.resolve({ output: 'interrupted before it ran', success: false }) : runTool(call, ctx),
    );
    toolCalls.forEach((call, i) => {
      const outcome = outcomes[i]!;
      const out: WireItem = call.custom
        ? { type: 'custom_tool_call_output', call_id: call.callId, output: outcome.output }
        : { type: 'function_call_output', call_id: call.callId, output: outcome.output };
      s.history.push(out);
      recordItem(out);
    });
    // No fsync here: each line is already a whole write(2); fsync at turn end and on close.
  }
  return await finish({ status: 'failed', message: `stopped after ${maxRequests} model requests in one turn` });
}

/** 0.169's `codex_error_info` of a failed turn's task_complete. */
function errorInfo(code: string | undefined): string {
  switch (code) {
    case 'MODEL_CONTEXT_WINDOW':
      return 'context_window_exceeded';
    case 'MODEL_QUOTA':
      return 'usage_limit_exceeded';
    case 'MODEL_UNAUTHORIZED':
      return 'unauthorized';
    case 'MODEL_BAD_REQUEST':
      return 'bad_request';
    default:
      return 'other';
  }
}

function sandboxPolicyJson(s: Session): Record<string, unknown> {
  switch (s.sandboxMode) {
    case 'danger-full-access':
      return { type: 'danger-full-access' };
    case 'read-only':
      return { type: 'read-only' };
    case 'workspace-write':
      return { type: 'workspace-write', writable_roots: s.policy.rules.filter((r) => r.access === 'write' && r.path !== s.cwd).map((r) => r.path), network_access: s.policy.network, exclude_tmpdir_env_var: false, exclude_slash_tmp: false };
    default:
      return assertNever(s.sandboxMode, 'sandbox mode');
  }
}

interface TodoState {
  item?: Extract<ThreadItem, { type: 'todo_list' }>;
}

type RecCompleted = (item: Record<string, unknown>, startedMs?: number) => void;

function toolEvent(s: Session, ev: ToolEvent, ids: Map<string, string>, sink: EventSink, rec: (t: string, p: unknown) => void, recCompleted: RecCompleted, todo: TodoState): void {
  const idFor = (callId: string) => {
    let id = ids.get(callId);
    if (!id) ids.set(callId, (id = nextItemId(s)));
    return id;
  };
  switch (ev.type) {
    case 'command_started':
      sink({ type: 'item.started', item: { id: idFor(ev.callId), type: 'command_execution', command: shJoin(ev.command), aggregated_output: '', exit_code: null, status: 'in_progress' } });
      return;
    case 'command_finished': {
      const item: ThreadItem = { id: idFor(ev.callId), type: 'command_execution', command: shJoin(ev.command), aggregated_output: ev.output, exit_code: ev.exitCode, status: ev.status };
      sink({ type: 'item.completed', item });
      recCompleted(
        {
          type: 'CommandExecution',
          id: ev.callId,
          command: ev.command,
          cwd: pathToFileURL(ev.cwd).href,
          parsed_cmd: [{ type: 'unknown', cmd: ev.command.at(-1) ?? '' }],
          source: 'unified_exec_startup',
          status: ev.status,
          aggregated_output: ev.output,
          exit_code: ev.exitCode,
          duration: { secs: Math.floor(ev.durationMs / 1000), nanos: (ev.durationMs % 1000) * 1e6 },
        },
        Date.now() - ev.durationMs,
      );
      return;
    }
    case 'patch_started':
      sink({ type: 'item.started', item: { id: idFor(ev.callId), type: 'file_change', changes: ev.changes, status: 'in_progress' } });
      return;
    case 'patch_finished':
      sink({ type: 'item.completed', item: { id: idFor(ev.callId), type: 'file_change', changes: ev.changes, status: ev.status } });
      recCompleted({
        type: 'FileChange',
        id: ev.callId,
        changes: Object.fromEntries(ev.changes.map((c) => [c.path, { type: c.kind }])),
        status: ev.status,
        stdout: ev.status === 'completed' ? ev.output : '',
        stderr: ev.status === 'completed' ? '' : ev.output,
      });
      return;
    case 'plan_updated': {
      const first = !todo.item;
      todo.item = { id: todo.item?.id ?? nextItemId(s), type: 'todo_list', items: ev.items.map((i) => ({ text: i.text, completed: i.completed })) };
      sink({ type: first ? 'item.started' : 'item.updated', item: todo.item });
      rec('event_msg', { type: 'plan_update', explanation: ev.explanation ?? null, plan: ev.items.map((i) => ({ step: i.text, status: i.status })) });
      return;
    }
    case 'warning':
      emitWarning(s, sink, ev.message);
      return;
    default:
      return assertNever(ev, 'tool event');
  }
}
