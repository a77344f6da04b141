// Approval policy (`approval_policy`): when a tool call must be approved by the user, and what happens
// when nobody can answer (exec without a TTY never waits: the request is declined and the stream says so).
import { assertNever, CodexError } from '../../protocol/index.js';

export type ApprovalPolicy = 'untrusted' | 'on-request' | 'on-failure' | 'never';
const APPROVAL_POLICIES: readonly ApprovalPolicy[] = ['untrusted', 'on-request', 'on-failure', 'never'];

export function parseApprovalPolicy(v: unknown): ApprovalPolicy {
  if (v === undefined) return 'never';
  if (typeof v === 'string' && (APPROVAL_POLICIES as readonly string[]).includes(v)) return v as ApprovalPolicy;
  throw new CodexError('CONFIG_INVALID', `approval_policy must be one of ${APPROVAL_POLICIES.join(', ')} (got ${JSON.stringify(v)})`);
}

export interface ApprovalRequest {
  kind: 'exec' | 'patch';
  /** What would run / be written, for the prompt. */
  subject: string;
  reason: string;
}

export type ApprovalAnswer = 'approved' | 'denied' | 'no_tty';

export type Approver = (req: ApprovalRequest) => Promise<ApprovalAnswer>;

/** What to do with a command before running it. */
export type ExecGate = { action: 'run'; sandboxed: boolean } | { action: 'ask'; reason: string; sandboxed: boolean } | { action: 'reject'; reason: string };

/** Pure: the gate for one exec call. `escalate` = the model asked to run outside the sandbox. */
export function gateExec(policy: ApprovalPolicy, o: { escalate: boolean; safe: boolean }): ExecGate {
  switch (policy) {
    case 'never':
      return o.escalate ? { action: 'reject', reason: 'running outside the sandbox is not allowed (approval_policy = never)' } : { action: 'run', sandboxed: true };
    case 'on-failure':
      return o.escalate ? { action: 'ask', reason: 'the model asked to run outside the sandbox', sandboxed: false } : { action: 'run', sandboxed: true };
    case 'on-request':
      return o.escalate ? { action: 'ask', reason: 'the model asked to run outside the sandbox', sandboxed: false } : { action: 'run', sandboxed: true };
    case 'untrusted':
      if (o.escalate) return { action: 'ask', reason: 'the model asked to run outside the sandbox', sandboxed: false };
      return o.safe ? { action: 'run', sandboxed: true } : { action: 'ask', reason: 'command is not on the safe list (approval_policy = untrusted)', sandboxed: true };
    default:
      return assertNever(policy, 'approval policy');
  }
}

/** Pure: whether a sandbox denial may be retried unsandboxed (only with approval, only on-failure). */
export function retryUnsandboxedAllowed(policy: ApprovalPolicy): boolean {
  return policy === 'on-failure';
}

/** Pure: a patch touching paths the policy does not let it write. */
export function gatePatchOutsideRoots(policy: ApprovalPolicy): { action: 'ask' } | { action: 'reject' } {
  return policy === 'never' ? { action: 'reject' } : { action: 'ask' };
}

/** Commands that only read: run without asking even under `untrusted`. Anything with shell syntax is not safe. */
export function isSafeCommand(cmd: string): boolean {
  if (/[;&|<>$`(){}\n\\*?!]/.test(cmd)) return false;
  const words = cmd.trim().split(/\s+/).filter(Boolean);
  if (words.some((w) => /['"]/.test(w))) return false;
  const [head, ...rest] = words;
  if (!head) return false;
  const plain = new Set(['ls', 'cat', 'pwd', 'echo', 'head', 'tail', 'wc', 'grep', 'rg', 'true', 'false', 'which', 'whoami', 'date', 'uname', 'stat', 'file', 'tree', 'nl', 'sort', 'uniq', 'cut', 'tr', 'diff', 'basename', 'dirname', 'realpath', 'readlink', 'id']);
  if (plain.has(head)) return !(head === 'sort' && rest.some((a) => a === '-o' || a.startsWith('--output')));
  if (head === 'git') return ['status', 'log', 'diff', 'show', 'branch', 'rev-parse'].includes(rest[0] ?? '') && !rest.some((a) => a.startsWith('--output'));
  if (head === 'sed') return rest[0] === '-n' && !rest.some((a) => a.startsWith('-i'));
  if (head === 'find') return !rest.some((a) => ['-exec', '-execdir', '-delete', '-ok', '-okdir', '-fprint', '-fprintf', '-fls'].includes(a));
  return false;
}

/** Heuristic used by on-failure: output that looks like the sandbox said no. */
export function looksLikeSandboxDenial(exitCode: number, output: string): boolean {
  return exitCode !== 0 && /(Permission denied|Read-only file system|Operation not permitted|EACCES|EROFS|EPERM)/.test(output);
}
