// In-process enforcement, then execve in the same thread: Landlock and seccomp attach to the
// calling thread, and execve carries them into the command. Nothing may run between the two.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  SyscallError,
  clearCloexec,
  cloexecStrayFds,
  detachFromTerminal,
  dropAllCapabilities,
  execve,
  landlockAddPathRule,
  landlockCreateRuleset,
  landlockRestrictSelf,
  nativeCacheRoot,
  rawClose,
  resetStdioAndSignals,
  seccompInstall,
  setNoNewPrivs,
} from '../../native/index.js';
import { CodexError, EXIT, removeFile } from '../../protocol/index.js';
import { resolveCommand } from './command.js';
import type { LandlockPlan } from './landlock-plan.js';
import { buildSeccompFilter, type SeccompKind } from './seccomp-bpf.js';

/** Status of a sandbox that could not be set up (distinct from any denial inside the command). */
export const EXIT_SANDBOX_SETUP = EXIT.SANDBOX_SETUP;

function setupError(backend: string, e: unknown): CodexError {
  const msg = e instanceof SyscallError ? e.message : (e as Error).message;
  return new CodexError('SANDBOX_SETUP_FAILED', `${backend}: ${msg}`, { exitCode: EXIT_SANDBOX_SETUP, cause: e });
}

function envList(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter((kv): kv is [string, string] => kv[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`);
}

function execOrFail(file: string, argv: readonly string[], env: NodeJS.ProcessEnv, sandboxed: boolean): never {
  const err = execve(file, argv, envList(env));
  const name = argv[0] ?? file;
  if (err.errno === 2) throw new CodexError('EXEC_NOT_FOUND', `${name}: no such file or directory`, { exitCode: EXIT.NOT_FOUND });
  if (err.errno === 13 || err.errno === 1) {
    const by = sandboxed ? ' (denied by the sandbox policy or file mode)' : '';
    throw new CodexError('EXEC_NOT_EXECUTABLE', `${name}: permission denied${by}`, { exitCode: EXIT.NOT_EXECUTABLE });
  }
  if (err.errno === 8) throw new CodexError('EXEC_NOT_EXECUTABLE', `${name}: exec format error`, { exitCode: EXIT.NOT_EXECUTABLE });
  throw setupError('execve', err);
}

/**
 * Landlock route (the fallback where bubblewrap cannot start): a new session (no controlling
 * terminal), every capability and the bounding set dropped, no_new_privs, Landlock (with the
 * signal and abstract-socket scopes where the kernel has them), the seccomp program, execve.
 * Returns only by throwing.
 *
 * @example
 *   landlockExec({ plan, network: false, cwd, file: '/usr/bin/ls', argv: ['ls'], env }); // never returns
 */
export function landlockExec(opts: {
  plan: Extract<LandlockPlan, { ok: true }>;
  network: boolean;
  cwd: string;
  file: string;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
}): never {
  const filter = buildSeccompFilter(opts.network ? 'network' : 'no-network');
  try {
    process.chdir(opts.cwd);
  } catch (e) {
    throw setupError('chdir', e);
  }
  try {
    detachFromTerminal();
    dropAllCapabilities();
    setNoNewPrivs();
  } catch (e) {
    throw setupError('landlock route', e);
  }
  let ruleset: number;
  try {
    ruleset = landlockCreateRuleset(opts.plan.handled, opts.plan.scoped);
    for (const g of opts.plan.grants) landlockAddPathRule(ruleset, g.path, g.access);
    landlockRestrictSelf(ruleset);
    rawClose(ruleset);
  } catch (e) {
    throw setupError(`landlock (ABI ${opts.plan.abi})`, e);
  }
  try {
    seccompInstall(filter);
  } catch (e) {
    throw setupError('seccomp', e);
  }
  sealInheritedFds();
  resetStdioAndSignals();
  return execOrFail(opts.file, opts.argv, opts.env, true);
}

/** Inner stage inside bwrap (re-exec fallback): seccomp, then execve the command. */
export function innerSeccompExec(kind: SeccompKind, argv: readonly string[], env: NodeJS.ProcessEnv): never {
  try {
    setNoNewPrivs();
    seccompInstall(buildSeccompFilter(kind));
  } catch (e) {
    throw setupError('seccomp (inside bubblewrap)', e);
  }
  const file = resolveCommand(argv[0]!, env.PATH, process.cwd());
  sealInheritedFds();
  resetStdioAndSignals();
  return execOrFail(file, argv, env, true);
}

/** execve bwrap from this process (the helper is a leaf: bwrap becomes the child its parent waits for). */
export function execBwrap(bwrapPath: string, args: readonly string[], env: NodeJS.ProcessEnv, keepFds: readonly number[]): never {
  sealInheritedFds(keepFds);
  try {
    for (const fd of keepFds) clearCloexec(fd);
  } catch (e) {
    throw setupError('bubblewrap', e);
  }
  resetStdioAndSignals();
  const err = execve(bwrapPath, ['bwrap', ...args], envList(env));
  throw setupError(`bubblewrap (${bwrapPath})`, err);
}

/**
 * An fd holding the seccomp program for `bwrap --seccomp FD` (bwrap reads it from the start). The
 * program is written once per content into the per-user cache dir; if that is not writable, a
 * private temp file is opened and unlinked at once.
 */
export function seccompProgramFd(kind: SeccompKind, env: NodeJS.ProcessEnv = process.env): number {
  const prog = buildSeccompFilter(kind);
  const name = `seccomp-${kind}-${contentTag(prog)}.bpf`;
  const cached = path.join(nativeCacheRoot(env), 'sandbox', name);
  try {
    if (fs.readFileSync(cached).equals(prog)) return fs.openSync(cached, 'r');
  } catch {
    /* not there yet */
  }
  try {
    fs.mkdirSync(path.dirname(cached), { recursive: true, mode: 0o700 });
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, prog, { mode: 0o600 });
    fs.renameSync(tmp, cached);
    return fs.openSync(cached, 'r');
  } catch {
    /* read-only cache: a private temp file */
  }
  const file = path.join(os.tmpdir(), `codex-seccomp-${process.pid}-${Math.random().toString(36).slice(2)}.bpf`);
  try {
    fs.writeFileSync(file, prog, { mode: 0o600, flag: 'wx' });
    return fs.openSync(file, 'r');
  } catch (e) {
    throw setupError('bubblewrap seccomp program', e);
  } finally {
    removeFile(file);
  }
}

/**
 * A short tag of the program's bytes for the cache file name (FNV-1a, 32 bits). Only a name: the
 * file is used after a byte-for-byte comparison, so a collision costs a rewrite, never a wrong
 * program. (node:crypto would add a few ms to every sandboxed start for this.)
 */
function contentTag(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/**
 * danger-full-access: exec the command as it is.
 *
 * @example
 *   plainExec('/usr/bin/ls', ['ls', '-l'], process.env); // replaces the process
 */
export function plainExec(file: string, argv: readonly string[], env: NodeJS.ProcessEnv): never {
  resetStdioAndSignals();
  return execOrFail(file, argv, env, false);
}

/**
 * No fd this process inherited beyond stdio (and `keep`) may reach a sandboxed command: called by
 * prepareSandboxedSpawn for every sandboxed spawn and by the helper before each exec. Throws
 * SANDBOX_SETUP_FAILED when the fds cannot be listed.
 *
 * @example
 *   sealInheritedFds([seccompFd]); execve(bwrap, …);
 */
export function sealInheritedFds(keep: readonly number[] = []): void {
  try {
    cloexecStrayFds(keep);
  } catch (e) {
    throw setupError('inherited fds', e);
  }
}
