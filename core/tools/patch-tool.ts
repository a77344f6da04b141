// apply_patch: check every touched path against the policy, then run this executable with
// `--codex-run-as-apply-patch` under the session's sandbox (patch on stdin when large).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertNever } from '../../protocol/index.js';
import { accessOf, type EffectivePolicy } from '../../sandbox/index.js';
import { gatePatchOutsideRoots } from './approval.js';
import { parseArgsObject, reqString } from './args.js';
import { parsePatch, touchedPaths, type TouchedPath } from '../../patch/index.js';
import { runPrepared } from './spawn.js';
import { truncateForModel } from './truncate.js';
import type { FileChangeKind } from './events.js';
import type { ToolCall, ToolContext, ToolOutcome } from './types.js';

/** Patches above this go through stdin (argv is limited to 128 KiB per argument). */
const PATCH_ARGV_LIMIT = 64 * 1024;
const PROTECTED = new Set(['.git', '.codex', '.agents']);

function patchTextOf(call: ToolCall): string {
  if (call.custom) return call.input;
  const a = parseArgsObject(call.input);
  return typeof a.input === 'string' ? a.input : typeof a.patch === 'string' ? a.patch : reqString(a, 'input');
}

/** The canonical form of a path that may not exist yet: realpath of its deepest existing ancestor. */
function canonicalTarget(p: string): string {
  let cur = p;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return p;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

/** Pure given canonical paths: why the policy does not let the patch write `abs`, or undefined. */
function writeDenial(policy: EffectivePolicy, abs: string): string | undefined {
  if (policy.unrestricted) return undefined;
  const access = accessOf(policy.rules, abs);
  if (access === 'write') return undefined;
  const parts = abs.split('/');
  const prot = parts.find((s) => PROTECTED.has(s));
  const underWritable = policy.rules.some((r) => r.access === 'write' && (abs === r.path || abs.startsWith(r.path.endsWith('/') ? r.path : r.path + '/')));
  if (prot && underWritable) return `${abs} is inside the protected path ${prot} (read-only in every writable root)`;
  if (access === 'none') return `${abs} is not accessible under the sandbox policy`;
  return `${abs} is outside the writable roots`;
}

export async function runPatchTool(call: ToolCall, ctx: ToolContext): Promise<ToolOutcome> {
  const patch = patchTextOf(call);
  let touched: TouchedPath[];
  try {
    touched = touchedPaths(parsePatch(patch), ctx.cwd);
  } catch (e) {
    return { output: `apply_patch: invalid patch, nothing was changed: ${(e as Error).message}`, success: false };
  }
  const changes = touched.flatMap((t) => {
    const kind = changeKind(t);
    return kind ? [{ path: t.path, kind }] : [];
  });
  const denials = denialsOf(ctx, touched);
  let sandboxed = true;
  if (denials.length > 0) {
    const reason = `patch writes outside what the sandbox allows: ${denials.join('; ')}`;
    const gate = gatePatchOutsideRoots(ctx.approvalPolicy);
    const answer = gate.action === 'reject' ? 'denied' : await ctx.approve({ kind: 'patch', subject: touched.map((t) => t.display).join(', '), reason });
    if (answer !== 'approved') {
      const why =
        gate.action === 'reject'
          ? `${reason}. approval_policy = never, so it was refused`
          : answer === 'no_tty'
            ? `${reason}. It needs approval and there is no TTY to ask: declined`
            : `${reason}. The user declined`;
      ctx.emit({ type: 'warning', message: `apply_patch refused: ${why}` });
      ctx.emit({ type: 'patch_finished', callId: call.callId, changes, status: 'declined', output: why });
      return { output: `apply_patch refused, nothing was changed: ${why}`, success: false };
    }
    sandboxed = false;
  }
  ctx.emit({ type: 'patch_started', callId: call.callId, changes });
  const viaStdin = Buffer.byteLength(patch) > PATCH_ARGV_LIMIT;
  const command = viaStdin ? [ctx.selfExe, '--codex-run-as-apply-patch'] : [ctx.selfExe, '--codex-run-as-apply-patch', patch];
  const policy = sandboxed ? ctx.policy : { ...ctx.policy, unrestricted: true };
  let output: string;
  let ok: boolean;
  try {
    const prepared = ctx.prepare({ policy, cwd: ctx.cwd, command, env: ctx.env });
    const res = await runPrepared({ prepared, timeoutMs: Math.max(ctx.timeoutMs, 30_000), signal: ctx.signal, ...(viaStdin ? { stdin: patch } : {}) });
    ok = res.exitCode === 0;
    output = ok ? res.stdout : `apply_patch failed (exit ${res.exitCode}): ${(res.stderr || res.stdout).trim()}`;
  } catch (e) {
    ok = false;
    output = `apply_patch could not run: ${(e as Error).message}`;
  }
  ctx.emit({ type: 'patch_finished', callId: call.callId, changes, status: ok ? 'completed' : 'failed', output });
  return { output: truncateForModel(output), success: ok };
}

function denialsOf(ctx: ToolContext, touched: TouchedPath[]): string[] {
  const out: string[] = [];
  for (const t of touched) {
    const why = writeDenial(ctx.policy, canonicalTarget(t.path));
    if (why) out.push(why);
  }
  return out;
}

/** How a touched path shows in the file_change item (a move shows as an update of its destination). */
function changeKind(t: TouchedPath): FileChangeKind | undefined {
  switch (t.role) {
    case 'add':
      return 'add';
    case 'delete':
      return 'delete';
    case 'update':
    case 'move-destination':
      return 'update';
    case 'move-source':
      return undefined;
    default:
      return assertNever(t.role, 'patch path role');
  }
}
