// The policy as it crosses the process boundary to the helper: parsed into the typed form or refused.
import { CodexError, EXIT } from '../../protocol/index.js';
import type { Access, EffectivePolicy, FsRule } from '../types.js';

const ACCESS: readonly Access[] = ['none', 'read', 'write'];

function bad(msg: string): CodexError {
  return new CodexError('SANDBOX_POLICY_INVALID', `bad --policy JSON: ${msg}`, { exitCode: EXIT.SANDBOX_SETUP });
}

export function parsePolicyJson(text: string): EffectivePolicy {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw bad((e as Error).message);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad('not an object');
  const o = v as Record<string, unknown>;
  for (const k of ['unrestricted', 'network', 'legacyEquivalent'] as const) {
    if (typeof o[k] !== 'boolean') throw bad(`'${k}' must be a boolean`);
  }
  if (typeof o.cwd !== 'string' || !o.cwd.startsWith('/')) throw bad("'cwd' must be an absolute path");
  if (!Array.isArray(o.rules)) throw bad("'rules' must be an array");
  const rules: FsRule[] = o.rules.map((r: unknown, i: number) => {
    const rr = r as Record<string, unknown> | null;
    if (!rr || typeof rr.path !== 'string' || !rr.path.startsWith('/')) throw bad(`rules[${i}].path must be an absolute path`);
    if (typeof rr.access !== 'string' || !ACCESS.includes(rr.access as Access)) throw bad(`rules[${i}].access must be none|read|write`);
    return { path: rr.path, access: rr.access as Access };
  });
  const policy: EffectivePolicy = {
    unrestricted: o.unrestricted as boolean,
    rules,
    network: o.network as boolean,
    legacyEquivalent: o.legacyEquivalent as boolean,
    cwd: o.cwd,
  };
  if (o.detail && typeof o.detail === 'object') policy.detail = o.detail as EffectivePolicy['detail'];
  return policy;
}
