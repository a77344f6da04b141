import { describe, expect, it } from 'vitest';
import { gateExec, isSafeCommand } from './approval.js';

describe('approvals', () => {
  it('gates exec calls per policy', () => {
    expect(gateExec('never', { escalate: false, safe: false })).toEqual({ action: 'run', sandboxed: true });
    expect(gateExec('never', { escalate: true, safe: true }).action).toBe('reject');
    expect(gateExec('on-request', { escalate: true, safe: true })).toMatchObject({ action: 'ask', sandboxed: false });
    expect(gateExec('untrusted', { escalate: false, safe: false })).toMatchObject({ action: 'ask', sandboxed: true });
    expect(gateExec('untrusted', { escalate: false, safe: true })).toEqual({ action: 'run', sandboxed: true });
    expect(gateExec('on-failure', { escalate: false, safe: false })).toEqual({ action: 'run', sandboxed: true });
  });
  it('knows read-only commands', () => {
    for (const c of ['ls -la', 'cat a.txt', 'git status', 'sed -n 1,5p f', 'rg foo']) expect(isSafeCommand(c), c).toBe(true);
    for (const c of ['rm -rf x', 'ls > f', 'cat a; rm b', 'find . -delete', 'git push', 'sed -i s/a/b/ f', 'echo $(id)']) expect(isSafeCommand(c), c).toBe(false);
  });
});
