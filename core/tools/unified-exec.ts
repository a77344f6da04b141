// exec_command / write_stdin (0.169's unified exec): a command runs until it ends or its yield time
// passes; then the model gets what it printed so far and, if it still runs, a session id to poll it
// or (with `tty: true`) type into it with write_stdin.
import * as path from 'node:path';
import { gateExec, isSafeCommand, looksLikeSandboxDenial, retryUnsandboxedAllowed } from './approval.js';
import { optBool, optNumber, optString, optStringArray, parseArgsObject, reqString, ToolArgError } from './args.js';
import { approxTokens } from './head-tail.js';
import { LiveProcess } from './live-process.js';
import { runPatchTool } from './patch-tool.js';
import { shJoin } from '../../protocol/index.js';
import { patchFromScript } from './shell-patch.js';
import type { ToolCall, ToolContext, ToolOutcome } from './types.js';

const DEFAULT_YIELD_MS = 10_000;
const MIN_YIELD_MS = 250;
const MAX_YIELD_MS = 30_000;
/** An empty write_stdin (a poll) waits at least this long, at most the max below. */
const MIN_POLL_MS = 5_000;
const MAX_POLL_MS = 300_000;
const DEFAULT_WRITE_YIELD_MS = 250;
const DEFAULT_MAX_OUTPUT_TOKENS = 10_000;
/** What the model gets of one chunk of output, at most, whatever it asks for (head + tail). */
const MAX_CHUNK_BYTES = 10_000;

export interface ExecCommandArgs {
  cmd: string;
  /** The argv as shown and approved (`SHELL -lc CMD`). */
  command: string[];
  shell: string;
  login: boolean;
  workdir?: string;
  tty: boolean;
  yieldMs: number;
  budgetBytes: number;
  escalate: boolean;
  justification?: string;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Output budget in bytes for a token budget (about four bytes a token), capped by policy. */
function budgetBytesFor(maxOutputTokens: number | undefined): number {
  const tokens = maxOutputTokens !== undefined && maxOutputTokens > 0 ? maxOutputTokens : DEFAULT_MAX_OUTPUT_TOKENS;
  return Math.min(MAX_CHUNK_BYTES, Math.floor(tokens * 4));
}

/** Pure: exec_command's arguments. */
export function parseExecCommandArgs(text: string, defaultShell = '/bin/bash'): ExecCommandArgs {
  const a = parseArgsObject(text);
  const cmd = reqString(a, 'cmd');
  const shell = optString(a, 'shell') || defaultShell;
  const login = optBool(a, 'login') ?? true;
  optStringArray(a, 'prefix_rule');
  return {
    cmd,
    command: [shell, login ? '-lc' : '-c', cmd],
    shell,
    login,
    workdir: optString(a, 'workdir'),
    tty: optBool(a, 'tty') ?? false,
    yieldMs: clamp(optNumber(a, 'yield_time_ms') ?? DEFAULT_YIELD_MS, MIN_YIELD_MS, MAX_YIELD_MS),
    budgetBytes: budgetBytesFor(optNumber(a, 'max_output_tokens')),
    escalate: optString(a, 'sandbox_permissions') === 'require_escalated',
    justification: optString(a, 'justification'),
  };
}

export interface WriteStdinArgs {
  sessionId: number;
  chars: string;
  yieldMs: number;
  /** Output budget of this answer (at most the one the command started with). */
  budgetBytes?: number;
}

/** Pure: write_stdin's arguments (a poll when chars is empty). */
export function parseWriteStdinArgs(text: string): WriteStdinArgs {
  const a = parseArgsObject(text);
  const sessionId = optNumber(a, 'session_id');
  if (sessionId === undefined) throw new ToolArgError("missing required argument 'session_id'");
  const chars = optString(a, 'chars') ?? '';
  const asked = optNumber(a, 'yield_time_ms');
  const yieldMs = chars === '' ? clamp(asked ?? MIN_POLL_MS, MIN_POLL_MS, MAX_POLL_MS) : clamp(asked ?? DEFAULT_WRITE_YIELD_MS, MIN_YIELD_MS, MAX_YIELD_MS);
  const tokens = optNumber(a, 'max_output_tokens');
  return { sessionId, chars, yieldMs, ...(tokens !== undefined ? { budgetBytes: budgetBytesFor(tokens) } : {}) };
}

export async function runExecCommand(call: ToolCall, args: ExecCommandArgs, ctx: ToolContext): Promise<ToolOutcome> {
  const cwd = args.workdir ? path.resolve(ctx.cwd, args.workdir) : ctx.cwd;
  const patch = patchFromScript(args.cmd);
  if (patch) {
    const at = patch.cd ? path.resolve(cwd, patch.cd) : cwd;
    return runPatchTool({ ...call, custom: true, input: patch.patch }, { ...ctx, cwd: at });
  }
  const sandboxed = await gate(call, args.command, args.cmd, args.escalate, args.justification, cwd, ctx);
  if (typeof sandboxed !== 'boolean') return sandboxed;
  ctx.emit({ type: 'command_started', callId: call.callId, command: args.command, cwd });
  let proc = start(call, args, cwd, ctx, sandboxed);
  await proc.wait(args.yieldMs, ctx.signal);
  if (!proc.running && sandboxed && !ctx.policy.unrestricted && looksLikeSandboxDenial(proc.exitCode!, proc.all.text()) && retryUnsandboxedAllowed(ctx.approvalPolicy)) {
    const answer = await ctx.approve({ kind: 'exec', subject: shJoin(args.command), reason: 'the sandbox denied the command; run it again without the sandbox?' });
    if (answer === 'approved') {
      proc = start(call, args, cwd, ctx, false);
      await proc.wait(args.yieldMs, ctx.signal);
    } else {
      ctx.emit({ type: 'warning', message: `sandbox denied \`${args.cmd}\`; retrying without the sandbox needs approval${answer === 'no_tty' ? ', and there is no TTY to ask: not retried' : ': declined'}` });
    }
  }
  if (ctx.signal.aborted && proc.running) await proc.killAndWait();
  const chunk = proc.take();
  if (!proc.running) {
    finished(ctx.emit, call.callId, args.command, cwd, proc);
    return { output: formatChunk(proc, chunk, undefined), success: proc.exitCode === 0 };
  }
  const { id, evicted } = ctx.processes.add({ proc, callId: call.callId, command: args.command, cwd, emit: ctx.emit });
  if (evicted) {
    const ended = !evicted.proc.running;
    ctx.emit({ type: 'warning', message: `more than ${ctx.processes.size} commands kept: dropped session ID ${evicted.id}${ended ? '' : ' (killed, least recently used)'}` });
    finished(evicted.emit, evicted.callId, evicted.command, evicted.cwd, evicted.proc);
  }
  return { output: formatChunk(proc, chunk, id), success: true };
}

export async function runWriteStdin(call: ToolCall, args: WriteStdinArgs, ctx: ToolContext): Promise<ToolOutcome> {
  const e = ctx.processes.get(args.sessionId);
  if (!e) return { output: `write_stdin failed: no running command has session ID ${args.sessionId} (it ended and was reported, or never existed)`, success: false };
  if (args.chars !== '' && !e.proc.write(args.chars)) {
    return { output: `write_stdin failed: session ${args.sessionId} has no terminal, so its stdin is closed; run the command with exec_command and \`tty: true\` to type into it`, success: false };
  }
  await e.proc.wait(args.yieldMs, ctx.signal);
  const chunk = e.proc.take(args.budgetBytes);
  if (!e.proc.running) {
    ctx.processes.remove(e.id);
    finished(e.emit, e.callId, e.command, e.cwd, e.proc);
    return { output: formatChunk(e.proc, chunk, undefined), success: e.proc.exitCode === 0 };
  }
  return { output: formatChunk(e.proc, chunk, e.id), success: true };
}

/** Emit the command's end (its record keeps the same head + tail the model could see). */
function finished(emit: ToolContext['emit'], callId: string, command: string[], cwd: string, proc: LiveProcess, killed = false): void {
  const code = proc.exitCode ?? null;
  emit({
    type: 'command_finished',
    callId,
    command,
    cwd,
    output: proc.all.text() + (proc.spawnError ? `${proc.spawnError}\n` : ''),
    exitCode: killed ? null : code,
    status: !killed && code === 0 ? 'completed' : 'failed',
    durationMs: Date.now() - proc.started,
  });
}

/** A command killed because its session ended: its item ends as failed, exit code unknown. */
export function finishedKilled(e: { emit: ToolContext['emit']; callId: string; command: string[]; cwd: string; proc: LiveProcess }): void {
  finished(e.emit, e.callId, e.command, e.cwd, e.proc, true);
}

/** Six hex digits naming one answer (no node:crypto: loading it costs every start of the program). */
function chunkId(): string {
  return Math.floor(Math.random() * 0x1000000)
    .toString(16)
    .padStart(6, '0');
}

/** The model-visible text of one chunk (0.169's layout: chunk id, wall time, status, token count, output). */
function formatChunk(proc: LiveProcess, chunk: { text: string; totalBytes: number }, sessionId: number | undefined): string {
  const lines = [`Chunk ID: ${chunkId()}`, `Wall time: ${((Date.now() - proc.started) / 1000).toFixed(4)} seconds`];
  if (sessionId !== undefined) lines.push(`Process running with session ID ${sessionId}`);
  else lines.push(`Process exited with code ${proc.exitCode}`);
  if (proc.spawnError) lines.push(`Error: ${proc.spawnError}`);
  lines.push(`Original token count: ${approxTokens(chunk.totalBytes)}`, 'Output:');
  return lines.join('\n') + '\n' + chunk.text;
}

function start(call: ToolCall, args: ExecCommandArgs, cwd: string, ctx: ToolContext, sandboxed: boolean): LiveProcess {
  const policy = sandboxed ? ctx.policy : { ...ctx.policy, unrestricted: true };
  const env: NodeJS.ProcessEnv = { ...ctx.env, ...commandEnv(ctx, call.callId, args.tty) };
  // CODEX_SANDBOX tells the command it runs sandboxed: only when it really does.
  if (sandboxed && !ctx.policy.unrestricted) env.CODEX_SANDBOX = 'seccomp';
  try {
    // A login command runs on the session's shell snapshot when there is one (same setup, no profile run).
    const argv = (args.login && ctx.snapshot?.argv(args.shell, args.cmd)) || args.command;
    const prepared = ctx.prepare({ policy, cwd, command: argv, env, tty: args.tty });
    return new LiveProcess(prepared, args.tty, args.budgetBytes);
  } catch (e) {
    return LiveProcess.failed(`sandbox setup failed: ${(e as Error).message}`);
  }
}

/**
 * What 0.169 sets for every unified-exec command: no colours, no pagers, a UTF-8 locale, a dumb
 * terminal (a real one with `tty: true`), and who is running it.
 */
function commandEnv(ctx: Pick<ToolContext, 'threadId' | 'version'>, callId: string, tty: boolean): NodeJS.ProcessEnv {
  return {
    NO_COLOR: '1',
    TERM: tty ? 'xterm-256color' : 'dumb',
    LANG: 'C.UTF-8',
    LC_CTYPE: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    COLORTERM: '',
    PAGER: 'cat',
    GIT_PAGER: 'cat',
    GH_PAGER: 'cat',
    CODEX_CI: '1',
    ...(ctx.threadId ? { CODEX_THREAD_ID: ctx.threadId, CODEX_SESSION_ID: ctx.threadId } : {}),
    CODEX_TOOL_CALL_ID: callId,
    ...(ctx.version ? { CODEX_VERSION: ctx.version } : {}),
  };
}

/** Approval and sandbox decision; true/false = run sandboxed or not, else the declined outcome. */
export async function gate(call: ToolCall, command: string[], script: string, escalate: boolean, justification: string | undefined, cwd: string, ctx: ToolContext): Promise<boolean | ToolOutcome> {
  const g = gateExec(ctx.approvalPolicy, { escalate, safe: isSafeCommand(script) });
  if (g.action === 'reject') return declined(call, command, script, cwd, ctx, `command rejected: ${g.reason}`);
  if (g.action === 'ask') {
    const answer = await ctx.approve({ kind: 'exec', subject: shJoin(command), reason: justification ? `${g.reason}: ${justification}` : g.reason });
    if (answer !== 'approved') {
      const why = answer === 'no_tty' ? `approval required (${g.reason}) but there is no TTY to ask: declined` : `the user declined (${g.reason})`;
      return declined(call, command, script, cwd, ctx, `command not run: ${why}`);
    }
  }
  return g.sandboxed;
}

function declined(call: ToolCall, command: string[], script: string, cwd: string, ctx: ToolContext, message: string): ToolOutcome {
  ctx.emit({ type: 'warning', message: `${message}: \`${script}\`` });
  ctx.emit({ type: 'command_finished', callId: call.callId, command, cwd, output: message, exitCode: null, status: 'declined', durationMs: 0 });
  return { output: message, success: false };
}
