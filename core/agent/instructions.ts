// Text the harness gives the model: base instructions, the permissions note, the environment context.
import type { ApprovalPolicy } from './approval.js';
import type { SandboxMode } from './sandbox-glue.js';

export const BASE_INSTRUCTIONS = [
  'You are a coding agent working in a terminal on the user\'s machine, through the codex-ts harness.',
  'Use the tools you are given: `exec_command` runs a shell command in the sandbox and returns its output; `apply_patch` edits files',
  '(use it for every file edit); `update_plan` records a short plan for multi-step work.',
  'Work until the task is done, verify what you can, and finish with a short, plain summary of what you did.',
  'Commands that the sandbox or the approval policy refuses come back as tool output: read it and adapt instead of retrying blindly.',
].join('\n');

export function permissionsText(mode: SandboxMode, approval: ApprovalPolicy, writableRoots: string[], network: boolean): string {
  const fs =
    mode === 'danger-full-access'
      ? '`sandbox_mode` is `danger-full-access`: commands run without a sandbox.'
      : mode === 'read-only'
        ? '`sandbox_mode` is `read-only`: the sandbox only permits reading files.'
        : '`sandbox_mode` is `workspace-write`: the sandbox permits reading files and editing files in the writable roots; .git, .codex and .agents stay read-only.';
  return [
    '<permissions instructions>',
    `${fs} Network access is ${network ? 'enabled' : 'restricted'}.`,
    `Approval policy is currently ${approval}.`,
    writableRoots.length ? ` The writable roots are ${writableRoots.map((r) => `\`${r}\``).join(', ')}.` : '',
    '</permissions instructions>',
  ]
    .filter(Boolean)
    .join('\n');
}

export function environmentContext(cwd: string, now: Date): string {
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  const date = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return ['<environment_context>', `  <cwd>${cwd}</cwd>`, '  <shell>bash</shell>', `  <current_date>${date}</current_date>`, `  <timezone>${tz}</timezone>`, '</environment_context>'].join('\n');
}
