// The legacy SandboxPolicy (`sandbox_mode` + `[sandbox_workspace_write]`) as symbolic entries, and the
// reverse direction used by the round-trip test.
import { assertNever } from '../../protocol/index.js';
import type { FsRule, LegacySandboxPolicy } from '../types.js';
import type { SymbolicEntry } from './profiles.js';

/** The entries a legacy policy stands for. Workspace roots are cwd + the extra writable roots. */
export function legacyEntries(p: LegacySandboxPolicy): SymbolicEntry[] {
  switch (p.mode) {
    case 'danger-full-access':
      return [{ target: { kind: 'special', special: 'root' }, access: 'write' }];
    case 'read-only':
      return [{ target: { kind: 'special', special: 'root' }, access: 'read' }];
    case 'workspace-write': {
      const out: SymbolicEntry[] = [
        { target: { kind: 'special', special: 'root' }, access: 'read' },
        { target: { kind: 'workspace', sub: '' }, access: 'write' },
      ];
      if (!p.excludeSlashTmp) out.push({ target: { kind: 'special', special: 'slash_tmp' }, access: 'write' });
      if (!p.excludeTmpdirEnvVar) out.push({ target: { kind: 'special', special: 'tmpdir' }, access: 'write' });
      return out;
    }
    default:
      return assertNever(p, 'legacy policy');
  }
}

export function legacyNetwork(p: LegacySandboxPolicy): boolean {
  switch (p.mode) {
    case 'danger-full-access':
      return true;
    case 'read-only':
    case 'workspace-write':
      return p.networkAccess;
    default:
      return assertNever(p, 'legacy policy');
  }
}

/**
 * The only legacy policy that could mean the same as this table, or undefined when none can (a `none`
 * rule, no full read, or full write). Whether it really does is decided by comparing tables.
 */
export function legacyCandidate(
  rules: readonly FsRule[],
  network: boolean,
  ctx: { cwd: string; tmpdir: string | undefined; slashTmp: string | undefined },
): LegacySandboxPolicy | undefined {
  if (rules.some((r) => r.access === 'none')) return undefined;
  const root = rules.find((r) => r.path === '/');
  if (!root || root.access !== 'read') return undefined;
  const writable = rules.filter((r) => r.access === 'write').map((r) => r.path);
  if (writable.length === 0) return { mode: 'read-only', networkAccess: network };
  const extra = writable.filter((p) => p !== ctx.cwd && p !== ctx.tmpdir && p !== ctx.slashTmp);
  return {
    mode: 'workspace-write',
    writableRoots: extra,
    networkAccess: network,
    excludeTmpdirEnvVar: ctx.tmpdir === undefined || !writable.includes(ctx.tmpdir),
    excludeSlashTmp: ctx.slashTmp === undefined || !writable.includes(ctx.slashTmp),
  };
}
