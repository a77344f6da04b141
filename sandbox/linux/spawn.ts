// What the core spawns to run one command under a policy on Linux. On the bubblewrap route the
// core starts bwrap itself (no second start of our runtime): the seccomp program travels as an fd
// (`--seccomp 3`). On the Landlock route it starts this executable as `codex-linux-sandbox`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSea, nativeCacheRoot } from '../../native/index.js';
import { CodexError, EXIT, codexHomeDir, errText, removeFile } from '../../protocol/index.js';
import type { EffectivePolicy } from '../types.js';
import { resolveCommand } from './command.js';
import { sha256Hex } from './hash.js';
import { removePlaceholders, setUpPlaceholders, sweepPlaceholders } from './placeholders.js';
import { buildBwrapArgs, SANDBOX_HELPER_ARG0, type InnerReexec, type InternalPaths } from './bwrap-args.js';
import { FIX_APPARMOR, FIX_CONTAINER, isWsl1, noBwrapReason, type BwrapSearch } from './discovery.js';
import { seccompProgramFd, sealInheritedFds } from './enforce.js';
import { bwrapSearch, bwrapSupportsArgv0, bwrapUsernsProbe, kindOf, landlockAbi, readProcVersion, rootSymlinks, sandboxHooksFromEnv, type SandboxHooks } from './probes.js';
import { accessOf } from '../policy/index.js';
import { decideLinuxRoute, type LinuxRoute, type RouteChoice } from './route.js';
import type { SeccompKind } from './seccomp-bpf.js';

export type SeccompVia = 'fd' | 'reexec';

export interface SandboxSpawnRequest {
  policy: EffectivePolicy;
  /** argv of the command (argv[0] looked up on PATH inside the sandbox). */
  command: readonly string[];
  env?: NodeJS.ProcessEnv;
  route?: RouteChoice;
  /** Test hooks of the probes; parsed from `env` by `sandboxHooksFromEnv` when absent. */
  hooks?: SandboxHooks;
  /** How seccomp is applied on the bubblewrap route (default `fd`). */
  seccompVia?: SeccompVia;
  execPath?: string;
  /** Add `--json-status-fd N` (bwrap route) so the caller can tell a bwrap failure from the command's status. */
  statusFd?: number;
  /**
   * The bwrap discovery already made for this policy, env and execPath (a plan's `search`): reused
   * so one run searches once (each search stats every folder above every candidate).
   */
  search?: BwrapSearch;
  /**
   * The plan already made for this very request (planSandboxedSpawn), e.g. to show its warnings
   * first: prepareSandboxedSpawn then does not plan it again.
   */
  plan?: SandboxPlan;
}

export interface SandboxPlan {
  route: LinuxRoute;
  file: string;
  args: string[];
  argv0?: string;
  /** Seccomp program the child must receive as fd 3 (bwrap route, `fd` mode). */
  seccomp?: SeccompKind;
  /** Empty dirs created just before bwrap starts over missing protected paths (e.g. `.git`). */
  placeholders: string[];
  /** The environment the command gets (CODEX_SANDBOX, CODEX_SANDBOX_NETWORK_DISABLED added). */
  env: NodeJS.ProcessEnv;
  /** The bwrap discovery this plan was made with (absent when unrestricted): pass it on as `search`. */
  search?: BwrapSearch;
}

export interface SandboxedSpawn extends SandboxPlan {
  /** Give these to the child as stdio[3], stdio[4], … and call dispose() once it has started. */
  extraFds: number[];
  dispose(): void;
  /** Call once the command has exited: drops its placeholder leases (removing what nobody uses). */
  release(): void;
}

/** fd number of the seccomp program in the child (first fd after stdio). */
export const SECCOMP_CHILD_FD = 3;

export { removePlaceholders };

/** A private dir holding `codex-linux-sandbox` → our executable, for bwrap without `--argv0`. */
export function compatDirFor(execPath: string, env: NodeJS.ProcessEnv = process.env): string {
  const h = sha256Hex(execPath, 16);
  const dir = path.join(nativeCacheRoot(env), `sandbox-helper-${h}`);
  const link = path.join(dir, SANDBOX_HELPER_ARG0);
  try {
    if (fs.readlinkSync(link) === execPath) return dir;
  } catch {
    /* make it */
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${link}.${process.pid}.tmp`;
  removeFile(tmp);
  fs.symlinkSync(execPath, tmp);
  fs.renameSync(tmp, link);
  return dir;
}

function listDir(p: string): string[] {
  try {
    return fs.readdirSync(p);
  } catch {
    return [];
  }
}

function isEmptyDir(p: string): boolean {
  try {
    return fs.readdirSync(p).length === 0;
  } catch {
    return false;
  }
}

function realOr(p: string): string {
  try {
    // (CODEX_HOME may not exist yet: no exception to build for that.)
    return fs.statSync(p, { throwIfNoEntry: false }) ? fs.realpathSync.native(p) : p;
  } catch {
    return p;
  }
}

/**
 * Our own files, which no sandboxed command may change (the threat model: nothing the user's tools
 * or our next start run outside the sandbox may be planted): the executable's folder (it holds the
 * bundled bwrap), the native addon cache, and CODEX_HOME (config.toml could turn the sandbox off).
 * The agent's credentials are hidden whatever the policy grants.
 */
export function internalPaths(env: NodeJS.ProcessEnv, execPath: string): InternalPaths {
  const home = realOr(codexHomeDir(env));
  return {
    readOnly: [path.dirname(realOr(execPath)), realOr(nativeCacheRoot(env)), home],
    hidden: [path.join(home, 'auth.json')],
  };
}

/** What a sandboxed command is told about its sandbox (as Codex 0.169 tells it). */
export function sandboxEnv(env: NodeJS.ProcessEnv, policy: EffectivePolicy): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, CODEX_SANDBOX: 'seccomp' };
  if (policy.network) delete out.CODEX_SANDBOX_NETWORK_DISABLED;
  else out.CODEX_SANDBOX_NETWORK_DISABLED = '1';
  return out;
}

/**
 * Decide the route and build what to run, opening nothing (used by `--explain` too).
 *
 * @example
 *   planSandboxedSpawn({ policy, command: ['ls'] }).route.kind; // 'bwrap' | 'landlock' | 'unsandboxed' | 'refuse' | …
 */
export function planSandboxedSpawn(req: SandboxSpawnRequest, skipPlaceholders: ReadonlySet<string> = new Set()): SandboxPlan {
  const env = req.env ?? process.env;
  const hooks = req.hooks ?? sandboxHooksFromEnv(env);
  const execPath = req.execPath ?? process.execPath;
  const { policy } = req;
  const search = policy.unrestricted ? undefined : (req.search ?? bwrapSearch(policy, env, execPath));
  const internal = internalPaths(env, execPath);
  const route = decideLinuxRoute({
    policy,
    choice: req.route ?? 'auto',
    landlockAbi: () => landlockAbi(hooks),
    kindOf,
    wsl1: isWsl1(readProcVersion(hooks)),
    bwrap: search?.found,
    noBwrapWhy: search ? noBwrapReason(search) : undefined,
    probeBwrap: (b) => bwrapUsernsProbe(b.path, env),
    internal: { ...internal, listDir },
  });
  switch (route.kind) {
    case 'unsandboxed':
      return { route, file: req.command[0]!, args: req.command.slice(1), placeholders: [], env, search };
    case 'refuse':
      return { route, file: '', args: [], placeholders: [], env, search };
    case 'landlock':
      return {
        route,
        file: execPath,
        argv0: SANDBOX_HELPER_ARG0,
        args: ['--policy', JSON.stringify(policy), '--route', 'landlock', '--', ...req.command],
        placeholders: [],
        env: sandboxEnv(env, policy),
        search,
      };
    case 'bwrap': {
      const seccomp: SeccompKind = policy.network ? 'network' : 'netns';
      const via = req.seccompVia ?? 'fd';
      let inner: InnerReexec | undefined;
      const extraReadOnly: string[] = [];
      if (via === 'reexec') {
        const argv0Supported = bwrapSupportsArgv0(route.bwrap.path, env);
        inner = {
          selfExe: execPath,
          argv0Supported,
          compatDir: argv0Supported ? undefined : compatDirFor(execPath, env),
          helperArgs: ['--inner-seccomp', seccomp],
        };
        if (isSea()) extraReadOnly.push(path.join(nativeCacheRoot(env), 'native'));
      }
      const built = buildBwrapArgs({
        policy,
        kindOf,
        noPlaceholder: skipPlaceholders,
        isEmptyDir,
        command: req.command,
        selfExe: execPath,
        extraReadOnly,
        internal,
        rootSymlinks: accessOf(policy.rules, '/') === 'none' ? rootSymlinks() : [],
        seccompFd: via === 'fd' ? SECCOMP_CHILD_FD : undefined,
        innerReexec: inner,
      });
      const args = req.statusFd !== undefined ? ['--json-status-fd', String(req.statusFd), ...built.args] : built.args;
      return { route, file: route.bwrap.path, args, seccomp: via === 'fd' ? seccomp : undefined, placeholders: built.placeholders, env: sandboxEnv(env, policy), search };
    }
  }
}

/**
 * The cwd must exist, be a directory and be visible under the policy: else bwrap would fail inside with a raw line.
 *
 * @example
 *   checkSandboxCwd(policy); // throws CodexError when policy.cwd is missing or not visible
 */
export function checkSandboxCwd(policy: EffectivePolicy): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(policy.cwd);
  } catch {
    throw new CodexError('SANDBOX_BAD_PATH', `working directory ${policy.cwd} does not exist`, { exitCode: EXIT.SANDBOX_SETUP });
  }
  if (!st.isDirectory()) throw new CodexError('SANDBOX_BAD_PATH', `working directory ${policy.cwd} is not a directory`, { exitCode: EXIT.SANDBOX_SETUP });
  if (!policy.unrestricted && accessOf(policy.rules, policy.cwd) === 'none') {
    throw new CodexError('SANDBOX_BAD_PATH', `working directory ${policy.cwd} is not readable under the policy`, { exitCode: EXIT.SANDBOX_SETUP });
  }
}

/**
 * The spawn for one sandboxed command (throws EXEC_NOT_FOUND / EXEC_NOT_EXECUTABLE with exit 127 /
 * 126 when the program cannot run at all): `spawn(s.file, s.args, { argv0: s.argv0, env: s.env,
 * stdio: [in, out, err, ...s.extraFds] })`, then `s.dispose()`, and `s.release()` once it has exited. Throws a CodexError (exit 125) when the sandbox cannot run here.
 *
 * @example
 *   const s = prepareSandboxedSpawn({ policy, command: ['ls'] });
 *   const child = spawn(s.file, s.args, { argv0: s.argv0, stdio: ['inherit', 'inherit', 'inherit', ...s.extraFds] });
 *   s.dispose(); child.on('exit', () => s.release());
 */
export function prepareSandboxedSpawn(req: SandboxSpawnRequest): SandboxedSpawn {
  let plan = req.plan ?? planSandboxedSpawn(req);
  // A second plan (placeholders no longer needed) reuses this one's discovery.
  req = { ...req, search: plan.search, plan: undefined };
  if (plan.route.kind === 'refuse') throw refusal(plan.route);
  // A missing / non-executable program is a clear 127 / 126 here, not a bwrap message with status 1.
  if (req.command.length === 0) throw new CodexError('USAGE', 'empty command', { exitCode: EXIT.USAGE });
  checkSandboxCwd(req.policy);
  resolveCommand(req.command[0]!, (req.env ?? process.env).PATH, req.policy.cwd);
  const env = req.env ?? process.env;
  let placeholders: string[] = [];
  if (plan.placeholders.length > 0) {
    let set: ReturnType<typeof setUpPlaceholders>;
    try {
      sweepPlaceholders(env);
      set = setUpPlaceholders(plan.placeholders, env);
    } catch (e) {
      // e.g. the flock addon cannot load: the sandbox cannot be set up (125, never the command's status).
      throw new CodexError('SANDBOX_SETUP_FAILED', `placeholders over missing protected paths: ${errText(e)}`, { exitCode: EXIT.SANDBOX_SETUP, cause: e });
    }
    placeholders = set.ready;
    if (set.unneeded.length > 0) plan = planSandboxedSpawn(req, new Set(set.unneeded));
  }
  const extraFds: number[] = [];
  try {
    if (plan.seccomp) extraFds.push(seccompProgramFd(plan.seccomp, env));
    // No fd this process inherited may reach a sandboxed command (the Landlock helper seals again
    // before its exec; a child left unsandboxed gets what we have).
    if (plan.route.kind !== 'unsandboxed') sealInheritedFds();
  } catch (e) {
    for (const fd of extraFds.splice(0)) fs.closeSync(fd);
    removePlaceholders(placeholders, env);
    throw e;
  }
  return {
    ...plan,
    placeholders,
    extraFds,
    dispose() {
      for (const fd of extraFds.splice(0)) fs.closeSync(fd);
    },
    release() {
      removePlaceholders(placeholders.splice(0), env);
    },
  };
}

/**
 * The CodexError (exit 125, stable code) reporting a route that refuses to run.
 *
 * @example
 *   if (route.kind === 'refuse') throw refusal(route);
 */
export function refusal(route: Extract<LinuxRoute, { kind: 'refuse' }>): CodexError {
  return new CodexError(route.code, route.message, { exitCode: EXIT.SANDBOX_SETUP });
}

export interface SandboxWarning {
  code: 'bwrap-bundled' | 'userns-unavailable' | 'landlock-fallback';
  message: string;
}

/** What the Landlock + seccomp fallback cannot enforce on this kernel (said in its start-up warning). */
export function fallbackGaps(abi: number, unprivileged = process.getuid?.() !== 0): string[] {
  const gaps = [
    'metadata changes (chmod, chown, utimes, xattrs) of files you own outside the writable roots',
    'hiding your other processes (their command lines stay readable in /proc; their environments do not)',
  ];
  if (abi < 6) gaps.push(`signals to your other processes (Landlock ABI ${abi} < 6 has no signal scope)`);
  if (unprivileged) gaps.push('an empty capability bounding set (an unprivileged process cannot drop it; no_new_privs keeps it unusable)');
  return gaps;
}

/**
 * Start-up warnings for the core to surface (stderr line / JSON event); the helper never prints
 * them: the bundled bubblewrap, a bubblewrap that cannot create its namespaces here (with the fix),
 * and the weaker Landlock fallback with what it cannot enforce.
 *
 * @example
 *   for (const w of sandboxStartupWarnings({ policy })) console.error(w.message);
 */
export function sandboxStartupWarnings(req: {
  policy: EffectivePolicy;
  env?: NodeJS.ProcessEnv;
  execPath?: string;
  route?: RouteChoice;
  /** The plan already made for this policy, env and route (its route and discovery are reused). */
  plan?: SandboxPlan;
}): SandboxWarning[] {
  const env = req.env ?? process.env;
  if (req.policy.unrestricted) return [];
  const plan = req.plan ?? planSandboxedSpawn({ policy: req.policy, command: ['true'], env, execPath: req.execPath, route: req.route });
  const out: SandboxWarning[] = [];
  const route = plan.route;
  // bubblewrap matters when it runs, or when its absence or failure chose the fallback or a refusal.
  const bwrapMatters = route.kind === 'bwrap' || (route.kind === 'landlock' && route.fallback !== undefined) || (route.kind === 'refuse' && route.code !== 'SANDBOX_WSL1');
  const search = bwrapMatters ? (plan.search ?? bwrapSearch(req.policy, env, req.execPath ?? process.execPath)) : undefined;
  const bw = route.kind === 'bwrap' ? route.bwrap : search?.found;
  if (bw?.source === 'bundled' && route.kind === 'bwrap') {
    const skipped = (search?.skipped ?? []).filter((x) => !x.reason.startsWith('the codex executable'));
    const none = skipped.length ? `no usable system bubblewrap on PATH (not using ${skipped.map((x) => `${x.path}: ${x.reason}`).join('; ')})` : 'no system bubblewrap on PATH';
    out.push({
      code: 'bwrap-bundled',
      message: `${none}: using the bundled ${bw.path}; install bubblewrap (e.g. \`apt install bubblewrap\`) to get distribution security updates`,
    });
  }
  const probe = bw ? bwrapUsernsProbe(bw.path, env) : undefined;
  if (probe && !probe.ok) {
    const fix = probe.step === 'container' ? FIX_CONTAINER : FIX_APPARMOR;
    const then = route.kind === 'bwrap' ? 'sandboxed commands will fail' : route.kind === 'landlock' ? 'using the weaker Landlock fallback' : 'sandboxed commands are refused';
    out.push({ code: 'userns-unavailable', message: `bubblewrap cannot create user namespaces here (step: ${probe.step}; ${probe.detail}): ${then}. Fix: ${fix}` });
  }
  if (plan.route.kind === 'landlock' && plan.route.fallback) {
    out.push({
      code: 'landlock-fallback',
      message: `sandbox: ${plan.route.fallback}, so commands run under the Landlock + seccomp fallback, which cannot enforce: ${fallbackGaps(plan.route.plan.abi).join('; ')}`,
    });
  }
  return out;
}
