// The legacy `shell` tool ({command: string[]}): one command run to its end (or timeout) through the
// session's sandbox, approvals first. exec_command / write_stdin live in unified-exec.ts.
import * as path from 'node:path';
import { looksLikeSandboxDenial, retryUnsandboxedAllowed } from './approval.js';
import { optBool, optNumber, optString, optStringArray, parseArgsObject, ToolArgError } from './args.js';
import { shJoin } from '../../protocol/index.js';
import { runPrepared, type ExecResult } from './spawn.js';
import { truncateForModel } from './truncate.js';
import type { ToolCall, ToolContext, ToolOutcome } from './types.js';
import { gate } from './unified-exec.js';

export interface ExecRequest {
  command: string[];
  /** The script text for the safe-list check (or the joined argv). */
  script: string;
  workdir?: string;
  timeoutMs?: number;
  escalate: boolean;
  justification?: string;
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
    justification: optString(a, 'justification'),
  };
}

export async function runExecTool(call: ToolCall, req: ExecRequest, ctx: ToolContext): Promise<ToolOutcome> {
  const cwd = req.workdir ? path.resolve(ctx.cwd, req.workdir) : ctx.cwd;
  const sandboxed = await gate(call, req.command, req.script, req.escalate, req.justification, cwd, ctx);
  if (typeof sandboxed !== 'boolean') return sandboxed;
  ctx.emit({ type: 'command_started', callId: call.callId, command: req.command, cwd });
  let res = await execOnce(req, cwd, ctx, sandboxed);
  if (sandboxed && !ctx.policy.unrestricted && looksLikeSandboxDenial(res.exitCode, res.output) && retryUnsandboxedAllowed(ctx.approvalPolicy)) {
    const answer = await ctx.approve({ kind: 'exec', subject: shJoin(req.command), reason: 'the sandbox denied the command; run it again without the sandbox?' });
    if (answer === 'approved') res = await execOnce(req, cwd, ctx, false);
    else ctx.emit({ type: 'warning', message: `sandbox denied \`${req.script}\`; retrying without the sandbox needs approval${answer === 'no_tty' ? ', and there is no TTY to ask: not retried' : ': declined'}` });
  }
  const status = res.exitCode === 0 ? 'completed' : 'failed';
  const output = truncateForModel(res.output);
  ctx.emit({ type: 'command_finished', callId: call.callId, command: req.command, cwd, output, exitCode: res.exitCode, status, durationMs: res.durationMs });
  return { output: formatExecOutput(res), success: res.exitCode === 0 };
}

async function execOnce(req: ExecRequest, cwd: string, ctx: ToolContext, sandboxed: boolean): Promise<ExecResult> {
  const policy = sandboxed ? ctx.policy : { ...ctx.policy, unrestricted: true };
  const env: NodeJS.ProcessEnv = sandboxed && !ctx.policy.unrestricted ? { ...ctx.env, CODEX_SANDBOX: 'seccomp' } : ctx.env;
  let prepared;
  try {
    prepared = ctx.prepare({ policy, cwd, command: req.command, env });
  } catch (e) {
    return { exitCode: 1, output: `sandbox setup failed: ${(e as Error).message}\n`, stdout: '', stderr: '', timedOut: false, interrupted: false, droppedBytes: 0, durationMs: 0, spawnError: (e as Error).message };
  }
  return runPrepared({ prepared, timeoutMs: req.timeoutMs ?? ctx.timeoutMs, signal: ctx.signal });
}

/** The model-visible text: exit status, wall time, then the output (head + tail when large). */
function formatExecOutput(r: ExecResult): string {
  const lines = [`Wall time: ${(r.durationMs / 1000).toFixed(4)} seconds`];
  if (r.timedOut) lines.push(`Process timed out (exit code 124)`);
  else if (r.interrupted) lines.push('Process interrupted');
  else lines.push(`Process exited with code ${r.exitCode}`);
  if (r.spawnError) lines.push(`Error: ${r.spawnError}`);
  lines.push('Output:');
  return lines.join('\n') + '\n' + truncateForModel(r.output);
}
