// What the core spawns to run one command under a policy on Linux. On the bubblewrap route the
// core starts bwrap itself (no second start of our runtime): the seccomp program travels as an fd
// (`--seccomp 3`). On the Landlock route it starts this executable as `codex-linux-sandbox`.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSea, nativeCacheRoot } from '../../native/index.js';
import { CodexError, EXIT } from '../../protocol/index.js';
import type { EffectivePolicy } from '../types.js';
import { resolveCommand } from './command.js';
import { leasePlaceholders } from './placeholders.js';
import { buildBwrapArgs, SANDBOX_HELPER_ARG0, type InnerReexec } from './bwrap-args.js';
import { FIX_APPARMOR, FIX_CONTAINER, isWsl1 } from './discovery.js';
import { seccompProgramFd } from './enforce.js';
import { bwrapSupportsArgv0, bwrapUsernsProbe, kindOf, landlockAbi, locateBwrap, readProcVersion, rootSymlinks } from './probes.js';
import { accessOf } from '../types.js';
import { decideLinuxRoute, type LinuxRoute, type RouteChoice } from './route.js';
import type { NetFilter } from './seccomp-bpf.js';

export type SeccompVia = 'fd' | 'reexec';

export interface SandboxSpawnRequest {
  policy: EffectivePolicy;
  /** argv of the command (argv[0] looked up on PATH inside the sandbox). */
  command: readonly string[];
  env?: NodeJS.ProcessEnv;
  route?: RouteChoice;
  /** How seccomp is applied on the bubblewrap route (default `fd`). */
  seccompVia?: SeccompVia;
  execPath?: string;
  /** Add `--json-status-fd N` (bwrap route) so the caller can tell a bwrap failure from the command's status. */
  statusFd?: number;
}

export interface SandboxPlan {
  route: LinuxRoute;
  file: string;
  args: string[];
  argv0?: string;
  /** Seccomp program the child must receive as fd 3 (bwrap route, network off, `fd` mode). */
  seccomp?: NetFilter;
  /** Empty dirs bwrap creates to keep a missing protected path (e.g. `.codex`) from being created. */
  placeholders: string[];
}

export interface SandboxedSpawn extends SandboxPlan {
  env: NodeJS.ProcessEnv;
  /** Give these to the child as stdio[3], stdio[4], … and call dispose() once it has started. */
  extraFds: number[];
  dispose(): void;
}

/** fd number of the seccomp program in the child (first fd after stdio). */
export const SECCOMP_CHILD_FD = 3;

export { removePlaceholders } from './placeholders.js';

/** A private dir holding `codex-linux-sandbox` → our executable, for bwrap without `--argv0`. */
export function compatDirFor(execPath: string, env: NodeJS.ProcessEnv = process.env): string {
  const h = crypto.createHash('sha256').update(execPath).digest('hex').slice(0, 16);
  const dir = path.join(nativeCacheRoot(env), `sandbox-helper-${h}`);
  const link = path.join(dir, SANDBOX_HELPER_ARG0);
  try {
    if (fs.readlinkSync(link) === execPath) return dir;
  } catch {
    /* make it */
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${link}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  fs.symlinkSync(execPath, tmp);
  fs.renameSync(tmp, link);
  return dir;
}

function doNotMaterialize(policy: EffectivePolicy): Set<string> {
  const out = new Set<string>();
  for (const p of policy.detail?.protectedPaths ?? []) {
    if (!p.exists && p.kind !== 'codex') out.add(p.path);
  }
  return out;
}

/** Decide the route and build what to run, opening nothing (used by `--explain` too). */
export function planSandboxedSpawn(req: SandboxSpawnRequest): SandboxPlan {
  const env = req.env ?? process.env;
  const execPath = req.execPath ?? process.execPath;
  const { policy } = req;
  const route = decideLinuxRoute({
    policy,
    choice: req.route ?? 'auto',
    landlockAbi: () => landlockAbi(env),
    kindOf,
    wsl1: isWsl1(readProcVersion(env)),
    bwrap: policy.unrestricted ? undefined : locateBwrap(policy, env, execPath),
  });
  switch (route.kind) {
    case 'unsandboxed':
      return { route, file: req.command[0]!, args: req.command.slice(1), placeholders: [] };
    case 'refuse':
      return { route, file: '', args: [], placeholders: [] };
    case 'landlock':
      return {
        route,
        file: execPath,
        argv0: SANDBOX_HELPER_ARG0,
        args: ['--policy', JSON.stringify(policy), '--route', 'landlock', '--', ...req.command],
        placeholders: [],
      };
    case 'bwrap': {
      const seccomp: NetFilter | undefined = policy.network ? undefined : 'netns';
      const via = req.seccompVia ?? 'fd';
      let inner: InnerReexec | undefined;
      const extraReadOnly: string[] = [];
      if (via === 'reexec') {
        const argv0Supported = bwrapSupportsArgv0(route.bwrap.path, env);
        inner = {
          selfExe: execPath,
          argv0Supported,
          compatDir: argv0Supported ? undefined : compatDirFor(execPath, env),
          helperArgs: ['--inner-seccomp', seccomp ?? 'none'],
        };
        if (isSea()) extraReadOnly.push(path.join(nativeCacheRoot(env), 'native'));
      }
      const built = buildBwrapArgs({
        policy,
        kindOf,
        command: req.command,
        selfExe: execPath,
        extraReadOnly,
        rootSymlinks: accessOf(policy.rules, '/') === 'none' ? rootSymlinks() : [],
        doNotMaterialize: doNotMaterialize(policy),
        seccompFd: via === 'fd' && seccomp ? SECCOMP_CHILD_FD : undefined,
        innerReexec: inner,
      });
      const args = req.statusFd !== undefined ? ['--json-status-fd', String(req.statusFd), ...built.args] : built.args;
      return { route, file: route.bwrap.path, args, seccomp: via === 'fd' ? seccomp : undefined, placeholders: built.placeholders };
    }
  }
}

/**
 * The spawn for one sandboxed command (throws EXEC_NOT_FOUND / EXEC_NOT_EXECUTABLE with exit 127 /
 * 126 when the program cannot run at all): `spawn(s.file, s.args, { argv0: s.argv0, env: s.env,
 * stdio: [in, out, err, ...s.extraFds] })`, then `s.dispose()`. Throws a CodexError when the
 * sandbox cannot run here (WSL1, no bwrap, Landlock cannot enforce a forced route).
 */
export function prepareSandboxedSpawn(req: SandboxSpawnRequest): SandboxedSpawn {
  const plan = planSandboxedSpawn(req);
  if (plan.route.kind === 'refuse') throw refusal(plan.route);
  // A missing / non-executable program is a clear 127 / 126 here, not a bwrap message with status 1.
  if (req.command.length === 0) throw new CodexError('USAGE', 'empty command', { exitCode: EXIT.USAGE });
  resolveCommand(req.command[0]!, (req.env ?? process.env).PATH, req.policy.cwd);
  const extraFds: number[] = [];
  if (plan.seccomp) extraFds.push(seccompProgramFd(plan.seccomp, req.env ?? process.env));
  leasePlaceholders(plan.placeholders, req.env ?? process.env);
  return {
    ...plan,
    env: req.env ?? process.env,
    extraFds,
    dispose() {
      for (const fd of extraFds.splice(0)) fs.closeSync(fd);
    },
  };
}

export function refusal(route: Extract<LinuxRoute, { kind: 'refuse' }>): CodexError {
  return new CodexError(route.code, route.message, { exitCode: EXIT.SANDBOX_SETUP });
}

export interface SandboxWarning {
  code: 'bwrap-bundled' | 'userns-unavailable';
  message: string;
}

/**
 * Start-up warnings for the core to surface (stderr line / JSON event); the helper never prints
 * them. Only for policies that will really run under bubblewrap.
 */
export function sandboxStartupWarnings(req: { policy: EffectivePolicy; env?: NodeJS.ProcessEnv; execPath?: string; route?: RouteChoice }): SandboxWarning[] {
  const env = req.env ?? process.env;
  const plan = planSandboxedSpawn({ policy: req.policy, command: ['true'], env, execPath: req.execPath, route: req.route });
  if (plan.route.kind !== 'bwrap') return [];
  const out: SandboxWarning[] = [];
  const bw = plan.route.bwrap;
  if (bw.source === 'bundled') {
    out.push({
      code: 'bwrap-bundled',
      message: `no system bubblewrap on PATH: using the bundled ${bw.path}; install bubblewrap (e.g. \`apt install bubblewrap\`) to get distribution security updates`,
    });
  }
  const probe = bwrapUsernsProbe(bw.path, env);
  if (!probe.ok) {
    const fix = probe.step === 'container' ? FIX_CONTAINER : FIX_APPARMOR;
    out.push({
      code: 'userns-unavailable',
      message: `bubblewrap cannot create user namespaces here (step: ${probe.step}; ${probe.detail}): sandboxed commands will fail. Fix: ${fix}`,
    });
  }
  return out;
}
