// exec_command / shell: one command through the session's sandbox, approvals first.
import * as path from 'node:path';
import { assertNever } from '../../protocol/index.js';
import { gateExec, isSafeCommand, looksLikeSandboxDenial, retryUnsandboxedAllowed } from '../agent/approval.js';
import { optBool, optNumber, optString, optStringArray, parseArgsObject, reqString, ToolArgError } from './args.js';
import { shJoin } from './quote.js';
import { runPrepared, type ExecResult } from './spawn.js';
import { truncateForModel } from './truncate.js';
import type { ToolCall, ToolContext, ToolOutcome } from './types.js';

export interface ExecRequest {
  command: string[];
  /** The script text for the safe-list check (or the joined argv). */
  script: string;
  workdir?: string;
  timeoutMs?: number;
  escalate: boolean;
}

/** exec_command {cmd, workdir, shell, login, sandbox_permissions, timeout_ms, …} → argv `/bin/bash -lc CMD`. */
export function parseExecCommandArgs(text: string): ExecRequest {
  const a = parseArgsObject(text);
  const cmd = reqString(a, 'cmd');
  const shell = optString(a, 'shell') ?? '/bin/bash';
  const login = optBool(a, 'login') ?? true;
  const perms = optString(a, 'sandbox_permissions');
  return {
    command: [shell, login ? '-lc' : '-c', cmd],
    script: cmd,
    workdir: optString(a, 'workdir'),
    timeoutMs: optNumber(a, 'timeout_ms'),
    escalate: perms === 'require_escalated',
  };
}

/** shell {command: string[], workdir, timeout_ms, sandbox_permissions}. */
export function parseShellArgs(text: string): ExecRequest {
  const a = parseArgsObject(text);
  const command = optStringArray(a, 'command');
  if (!command || command.length === 0) throw new ToolArgError("missing required argument 'command' (a non-empty array of strings)");
  const isBashC = (command[0] === 'bash' || command[0] === '/bin/bash' || command[0] === 'sh' || command[0] === '/bin/sh') && (command[1] === '-lc' || command[1] === '-c') && command.length === 3;
  return {
    command,
    script: isBashC ? command[2]! : shJoin(command),
    workdir: optString(a, 'workdir'),
    timeoutMs: optNumber(a, 'timeout_ms'),
    escalate: optString(a, 'sandbox_permissions') === 'require_escalated' || optBool(a, 'with_escalated_permissions') === true,
  };
}

export async function runExecTool(call: ToolCall, req: ExecRequest, ctx: ToolContext): Promise<ToolOutcome> {
  const cwd = req.workdir ? path.resolve(ctx.cwd, req.workdir) : ctx.cwd;
  const gate = gateExec(ctx.approvalPolicy, { escalate: req.escalate, safe: isSafeCommand(req.script) });
  let sandboxed = true;
  switch (gate.action) {
    case 'reject':
      return declined(call, req, cwd, ctx, `command rejected: ${gate.reason}`);
    case 'ask': {
      const answer = await ctx.approve({ kind: 'exec', subject: shJoin(req.command), reason: gate.reason });
      if (answer !== 'approved') {
        const why = answer === 'no_tty' ? `approval required (${gate.reason}) but there is no TTY to ask: declined` : `the user declined (${gate.reason})`;
        return declined(call, req, cwd, ctx, `command not run: ${why}`);
      }
      sandboxed = gate.sandboxed;
      break;
    }
    case 'run':
      sandboxed = gate.sandboxed;
      break;
    default:
      return assertNever(gate, 'exec gate');
  }
  ctx.emit({ type: 'command_started', callId: call.callId, command: req.command, cwd });
  let res = await execOnce(req, cwd, ctx, sandboxed);
  if (sandboxed && !ctx.policy.unrestricted && looksLikeSandboxDenial(res.exitCode, res.output) && retryUnsandboxedAllowed(ctx.approvalPolicy)) {
    const answer = await ctx.approve({ kind: 'exec', subject: shJoin(req.command), reason: 'the sandbox denied the command; run it again without the sandbox?' });
    if (answer === 'approved') res = await execOnce(req, cwd, ctx, false);
    else ctx.emit({ type: 'warning', message: `sandbox denied \`${req.script}\`; retrying without the sandbox needs approval${answer === 'no_tty' ? ', and there is no TTY to ask: not retried' : ': declined'}` });
  }
  const status = res.exitCode === 0 ? 'completed' : 'failed';
  ctx.emit({ type: 'command_finished', callId: call.callId, command: req.command, cwd, output: res.output, exitCode: res.exitCode, status, durationMs: res.durationMs });
  return { output: formatExecOutput(res), success: res.exitCode === 0 };
}

async function execOnce(req: ExecRequest, cwd: string, ctx: ToolContext, sandboxed: boolean): Promise<ExecResult> {
  const policy = sandboxed ? ctx.policy : { ...ctx.policy, unrestricted: true };
  let prepared;
  try {
    prepared = ctx.prepare({ policy, cwd, command: req.command, env: ctx.env });
  } catch (e) {
    return { exitCode: 1, output: `sandbox setup failed: ${(e as Error).message}\n`, stdout: '', stderr: '', timedOut: false, interrupted: false, droppedBytes: 0, durationMs: 0, spawnError: (e as Error).message };
  }
  return runPrepared({ prepared, timeoutMs: req.timeoutMs ?? ctx.timeoutMs, signal: ctx.signal });
}

function declined(call: ToolCall, req: ExecRequest, cwd: string, ctx: ToolContext, message: string): ToolOutcome {
  ctx.emit({ type: 'warning', message: `${message}: \`${req.script}\`` });
  ctx.emit({ type: 'command_finished', callId: call.callId, command: req.command, cwd, output: message, exitCode: null, status: 'declined', durationMs: 0 });
  return { output: message, success: false };
}

/** The model-visible text: exit status, wall time, then the output (head + tail when large). */
export function formatExecOutput(r: ExecResult): string {
  const lines = [`Wall time: ${(r.durationMs / 1000).toFixed(4)} seconds`];
  if (r.timedOut) lines.push(`Process timed out (exit code 124)`);
  else if (r.interrupted) lines.push('Process interrupted');
  else lines.push(`Process exited with code ${r.exitCode}`);
  if (r.spawnError) lines.push(`Error: ${r.spawnError}`);
  if (r.droppedBytes > 0) lines.push(`Output capped at 1 MiB: ${r.droppedBytes} more bytes dropped`);
  lines.push('Output:');
  return lines.join('\n') + '\n' + truncateForModel(r.output);
}
