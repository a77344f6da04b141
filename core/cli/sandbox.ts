// `codex sandbox [linux] [-s MODE | --full-auto] [--permissions NAME] [-c k=v] [-C DIR] [--explain [--json]] -- CMD ARGS…`
// Runs one command under the policy from config + flags and exits with its status.
// 125: the sandbox could not be set up; 126/127: the command is not executable / not found.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig, resolveConfiguredPolicy, windowsRefusal } from '../config/index.js';
import { CodexError, EXIT, assertNever, removeFile } from '../../protocol/index.js';
import { leanSpawn, shellStatus, SpawnError, type LeanChild } from '../../native/index.js';
import {
  EXIT_SANDBOX_SETUP,
  checkSandboxCwd,
  bwrapUsernsProbe,
  explain,
  explainText,
  landlockExec,
  planSandboxedSpawn,
  plainExec,
  prepareSandboxedSpawn,
  refusal,
  resolveCommand,
  sandboxStartupWarnings,
  type RouteChoice,
  type SeccompVia,
} from '../../sandbox/index.js';
import { flagBool, flagList, flagString, parseArgs, type CommandHelp, type FlagSpec } from './args.js';
import type { CliContext } from './context.js';

const USAGE =
  'usage: codex sandbox [linux|macos] [-s MODE | --full-auto] [--permissions NAME] [-c key=value] [-C DIR] [--explain [--platform macos|windows]] -- CMD ARGS…';

const FLAGS: FlagSpec[] = [
  { name: 'sandbox', short: 's', kind: 'string', value: 'MODE', description: 'read-only | workspace-write | danger-full-access (default: config, else read-only)' },
  { name: 'full-auto', kind: 'bool', description: 'the same as -s workspace-write' },
  { name: 'permissions', short: 'P', kind: 'string', value: 'NAME', aliases: ['permission-profile'], description: 'a [permissions.NAME] profile from config.toml (not with -s)' },
  { name: 'config', short: 'c', kind: 'multi', value: 'key=value', description: 'override a config.toml value for this run' },
  { name: 'cd', short: 'C', kind: 'string', value: 'DIR', description: 'resolve the policy against DIR and run the command there' },
  { name: 'explain', kind: 'bool', description: 'print the policy, the route, the exact argv and the warnings; run nothing' },
  { name: 'platform', kind: 'string', value: 'macos|windows', description: 'with --explain: what the macOS profile / Windows decision would be (verified by tests, not by running there)' },
  { name: 'json', kind: 'bool', description: 'with --explain: one JSON object; otherwise warnings as JSON lines on stderr' },
  { name: 'route', kind: 'string', value: 'auto|bwrap|landlock', description: 'diagnosis: force bubblewrap or the Landlock fallback (never weaker: Landlock refuses what it cannot express)' },
  { name: 'seccomp-via', kind: 'string', value: 'fd|reexec', description: 'diagnosis: hand bubblewrap the seccomp program as fd 3 (default) or re-exec this binary inside' },
];

const HELP: CommandHelp = {
  usage: 'codex sandbox [linux|macos] [OPTIONS] -- CMD [ARGS…]',
  summary:
    'Run one command under the sandbox policy from config.toml and the flags (bubblewrap on Linux; Landlock + seccomp only where bubblewrap cannot start), and exit with its status: 125 when the sandbox could not be set up or refused to run, 126/127 when the command is not executable / not found.',
  args: [{ name: 'CMD ARGS…', description: 'the command, looked up on PATH (after --, so its own flags are not ours)' }],
  example: ['codex sandbox --full-auto -- sh -c \'echo hi > out.txt\'', 'codex sandbox -s read-only --explain -- make test'],
};

export async function sandboxMain(ctx: CliContext): Promise<number> {
  let argv = ctx.args;
  const here = process.platform === 'darwin' ? 'macos' : 'linux';
  if (argv[0] === here) argv = argv.slice(1);
  else if (argv[0] === 'linux' || argv[0] === 'macos' || argv[0] === 'windows') {
    throw new CodexError('SANDBOX_UNSUPPORTED', `'codex sandbox ${argv[0]}' cannot run on ${here === 'macos' ? 'macOS' : 'Linux'} (to see what it would do: codex sandbox --explain --platform ${argv[0]})`, { exitCode: EXIT.USAGE });
  }
  const p = parseArgs(argv, FLAGS, { stopAtPositional: true, help: HELP });
  const command = [...p.positionals, ...(p.rest ?? [])];
  // On macOS, --explain describes the Seatbelt route (the Linux explain below is about bwrap/Landlock).
  const platform = flagString(p, 'platform') ?? (process.platform === 'darwin' && flagBool(p, 'explain') ? 'macos' : undefined);
  if (platform !== undefined) {
    const { sandboxPlatformMain } = await import('./sandbox-platform.js');
    return sandboxPlatformMain(ctx, {
      platform,
      explain: flagBool(p, 'explain'),
      json: flagBool(p, 'json'),
      sandboxMode: flagString(p, 'sandbox'),
      fullAuto: flagBool(p, 'full-auto'),
      permissions: flagString(p, 'permissions'),
      cd: flagString(p, 'cd'),
      config: flagList(p, 'config'),
      command,
    });
  }
  if (command.length === 0) throw new CodexError('USAGE', `missing command (${USAGE})`);
  const route = flagString(p, 'route') ?? 'auto';
  if (route !== 'auto' && route !== 'landlock' && route !== 'bwrap') throw new CodexError('USAGE', `unknown --route '${route}' (auto, landlock, bwrap)`);
  const seccompVia = flagString(p, 'seccomp-via') ?? 'fd';
  if (seccompVia !== 'fd' && seccompVia !== 'reexec') throw new CodexError('USAGE', `unknown --seccomp-via '${seccompVia}' (fd, reexec)`);

  const cwd = path.resolve(flagString(p, 'cd') ?? process.cwd());
  const config = loadConfig({ overrides: [...ctx.overrides, ...flagList(p, 'config')], enable: ctx.enable, disable: ctx.disable });
  const policy = resolveConfiguredPolicy(
    config,
    { sandboxMode: flagString(p, 'sandbox'), fullAuto: flagBool(p, 'full-auto'), permissions: flagString(p, 'permissions') },
    cwd,
    process.env,
  );
  const env = process.env;
  if (process.platform === 'darwin' && !flagBool(p, 'explain')) return (await import('./sandbox-platform.js')).runUnderSeatbelt(policy, command, env);
  if (process.platform === 'win32' && !policy.unrestricted) throw windowsRefusal();
  const req = { policy, command, env, route: route as RouteChoice, seccompVia: seccompVia as SeccompVia, statusFd: STATUS_FD };

  // One plan (one bwrap discovery) serves the warnings, the explanation and the run.
  if (flagBool(p, 'explain')) {
    const plan = planSandboxedSpawn({ ...req, statusFd: undefined });
    const warnings = sandboxStartupWarnings({ policy, env, route: req.route, plan });
    const e = explain(policy, plan, warnings);
    process.stdout.write(flagBool(p, 'json') ? JSON.stringify(e) + '\n' : explainText(e));
    return 0;
  }

  const plan = planSandboxedSpawn(req);
  const warnings = [
    ...(policy.detail?.warnings ?? []).map((message) => ({ code: 'policy', message })),
    ...sandboxStartupWarnings({ policy, env, route: req.route, plan }),
  ];
  for (const w of warnings) {
    process.stderr.write(flagBool(p, 'json') ? JSON.stringify({ type: 'warning', code: w.code, message: w.message }) + '\n' : `codex: warning: ${w.message}\n`);
  }
  if (plan.route.kind === 'refuse') throw refusal(plan.route);
  checkSandboxCwd(policy);
  const resolved = resolveCommand(command[0]!, env.PATH, policy.cwd);
  switch (plan.route.kind) {
    case 'unsandboxed':
      process.chdir(policy.cwd);
      return plainExec(resolved, command, env);
    case 'landlock':
      return landlockExec({ plan: plan.route.plan, network: policy.network, cwd: policy.cwd, file: resolved, argv: command, env: plan.env });
    case 'bwrap':
      return runBwrap({ ...req, plan });
    default:
      return assertNever(plan.route, 'route');
  }
}

/** bwrap's `--json-status-fd`: the child's fd 4 (after stdio and the seccomp program). */
const STATUS_FD = 4;

/**
 * Start bwrap, wait, and tell a bwrap set-up failure (no child started) from the command's own status.
 * Neither execa nor node:child_process: this is the start-up path measured against Codex 0.169
 * (bench/startup), and loading either costs more than the whole spawn (native/lean-spawn.ts).
 */
async function runBwrap(req: Parameters<typeof prepareSandboxedSpawn>[0]): Promise<number> {
  const s = prepareSandboxedSpawn(req); // also seals the fds we inherited
  // bwrap writes its JSON status lines to an unlinked private file, read back once it has exited:
  // a pipe would cost node a socket and a stream at every start.
  const status = statusFile();
  let child: LeanChild;
  let exit: { code: number | null; signal: NodeJS.Signals | null };
  try {
    try {
      child = await leanSpawn({ file: s.file, argv: ['bwrap', ...s.args], env: s.env, fds: [0, 1, 2, s.extraFds[0] ?? 'ignore', status], forwardSignals: true });
    } finally {
      s.dispose();
    }
    exit = await child.exited;
  } catch (e) {
    if (!(e instanceof SpawnError)) throw e;
    throw new CodexError('SANDBOX_SETUP_FAILED', `cannot start bubblewrap (${s.file}): ${e.code}`, { exitCode: EXIT_SANDBOX_SETUP, cause: e });
  } finally {
    // Protective placeholders (an empty read-only `.codex` bound over a missing one) are ours to
    // remove once the command is done, so a user's folder is left as it was.
    s.release();
  }
  const { code, signal } = exit;
  const text = readStatus(status);
  const started = /"child-pid"/.test(text);
  if (!started) {
    const probe = s.route.kind === 'bwrap' ? bwrapUsernsProbe(s.route.bwrap.path, req.env) : undefined;
    const step = probe && !probe.ok ? ` (user-namespace probe: ${probe.step}: ${probe.detail})` : '';
    throw new CodexError('SANDBOX_SETUP_FAILED', `bubblewrap failed before the command started (exit ${code ?? signal})${step}; run \`codex sandbox --explain -- …\` to see the argv`, {
      exitCode: EXIT_SANDBOX_SETUP,
    });
  }
  const m = /"exit-code"\s*:\s*(\d+)/.exec(text);
  return m ? Number(m[1]) : shellStatus(exit);
}

/** A new private file (0600, created exclusively, unlinked at once), open for reading and writing. */
function statusFile(): number {
  for (let i = 0; ; i++) {
    const p = path.join(os.tmpdir(), `codex-bwrap-status-${process.pid}-${Math.random().toString(36).slice(2)}`);
    try {
      const fd = fs.openSync(p, 'wx+', 0o600);
      removeFile(p);
      return fd;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || i >= 10) {
        throw new CodexError('SANDBOX_SETUP_FAILED', `cannot create bubblewrap's status file in ${os.tmpdir()}: ${(e as Error).message}`, { exitCode: EXIT_SANDBOX_SETUP, cause: e });
      }
    }
  }
}

function readStatus(fd: number): string {
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, 1 << 20));
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.toString('utf8', 0, n);
  } finally {
    fs.closeSync(fd);
  }
}
