// `codex sandbox --explain`: the resolved policy, the route and the exact argv (pure formatting).
import type { EffectivePolicy } from '../types.js';
import type { SeccompKind } from './seccomp-bpf.js';
import type { SandboxPlan, SandboxWarning } from './spawn.js';

/** One line saying what the seccomp program of a kind refuses (see seccomp-bpf.ts). */
export function seccompSummary(kind: SeccompKind): string {
  const always = 'io_uring, TIOCSTI/TIOCLINUX, keyrings, bpf, mounts and new namespaces refused';
  switch (kind) {
    case 'network':
      return always;
    case 'netns':
      return `${always}; inside an empty network namespace: sockets AF_INET, AF_INET6, AF_NETLINK only, AF_UNIX through stream/seqpacket socketpair only`;
    case 'no-network':
      return `${always}; no sockets, AF_UNIX through stream/seqpacket socketpair only`;
  }
}

export function shellQuote(a: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

export interface Explanation {
  policy: EffectivePolicy;
  route: string;
  reason: string;
  bwrap?: { path: string; source: string };
  argv: string[];
  argv0?: string;
  seccomp?: string;
  warnings: SandboxWarning[];
}

/**
 * What `--explain` reports: the policy, the chosen route with its reasons, the argv to run, and the warnings; pure.
 *
 * @example
 *   const e = explain(policy, planSandboxedSpawn(req), warnings);
 */
export function explain(policy: EffectivePolicy, plan: SandboxPlan, warnings: SandboxWarning[]): Explanation {
  const r = plan.route;
  const base = { policy, warnings, argv: plan.file ? [plan.file, ...plan.args] : [], ...(plan.argv0 ? { argv0: plan.argv0 } : {}) };
  switch (r.kind) {
    case 'unsandboxed':
      return { ...base, route: 'none', reason: 'danger-full-access: no sandbox' };
    case 'refuse':
      return { ...base, route: 'refused', reason: `${r.message} [${r.code}]` };
    case 'landlock':
      return { ...base, route: 'landlock', reason: r.why, seccomp: seccompSummary(policy.network ? 'network' : 'no-network') };
    case 'bwrap':
      return {
        ...base,
        route: 'bwrap',
        reason: r.why,
        bwrap: { path: r.bwrap.path, source: r.bwrap.source },
        seccomp: `${seccompSummary(policy.network ? 'network' : 'netns')}${plan.seccomp ? ' (program on fd 3)' : ' (applied by the inner helper)'}`,
      };
  }
}

/**
 * The human-readable form of an `explain` result, as `codex sandbox --explain` prints it.
 *
 * @example
 *   process.stdout.write(explainText(explain(policy, plan, warnings)));
 */
export function explainText(e: Explanation): string {
  const p = e.policy;
  const d = p.detail;
  const src = d ? (d.source.kind === 'legacy' ? `sandbox_mode ${d.source.mode} (from ${d.source.from})` : `permissions profile '${d.source.name}' (from ${d.source.from})`) : 'given';
  const prot = new Map((d?.protectedPaths ?? []).map((x) => [x.path, x]));
  const lines = [
    `policy: ${src}`,
    `  cwd: ${p.cwd}`,
    `  network: ${p.network ? 'allowed' : 'blocked'}`,
    `  legacy-equivalent: ${p.legacyEquivalent ? 'yes' : 'no'}`,
    '  rules (most specific wins):',
    ...[...p.rules]
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map((r) => {
        const pp = prot.get(r.path);
        return `    ${r.access.padEnd(5)} ${r.path}${pp ? `  (protected ${pp.kind}${pp.exists ? '' : ', missing'})` : ''}`;
      }),
    `route: ${e.route}${e.bwrap ? ` (${e.bwrap.path}, ${e.bwrap.source})` : ''}`,
    `  why: ${e.reason}`,
    ...(e.seccomp ? [`  seccomp: ${e.seccomp}`] : []),
    ...(e.argv.length ? [`argv${e.argv0 ? ` (argv0 ${e.argv0})` : ''}:`, `  ${e.argv.map(shellQuote).join(' ')}`] : []),
    ...(d?.warnings ?? []).map((w) => `warning: ${w}`),
    ...e.warnings.map((w) => `warning: ${w.message}`),
  ];
  return lines.join('\n') + '\n';
}
