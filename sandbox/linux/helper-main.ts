// `codex-linux-sandbox`: the helper the core starts for the Landlock route, and the inner stage of
// the bubblewrap re-exec fallback. It never prints start-up warnings (the core does).
//   codex-linux-sandbox --policy JSON [--route auto|landlock|bwrap] [--seccomp-via fd|reexec] -- CMD ARGS…
//   codex-linux-sandbox --inner-seccomp network|netns|no-network -- CMD ARGS…
import { CodexError, EXIT, assertNever } from '../../protocol/index.js';
import { resolveCommand } from './command.js';
import { execBwrap, innerSeccompExec, landlockExec, plainExec } from './enforce.js';
import { parsePolicyJson } from './policy-json.js';
import type { RouteChoice } from './route.js';
import { SECCOMP_KINDS, type SeccompKind } from './seccomp-bpf.js';
import { planSandboxedSpawn, prepareSandboxedSpawn, type SeccompVia } from './spawn.js';

interface HelperArgs {
  policy?: string;
  route: RouteChoice;
  seccompVia: SeccompVia;
  inner?: SeccompKind;
  command: string[];
}

const USAGE_TEXT = 'usage: codex-linux-sandbox --policy JSON [--route auto|landlock|bwrap] [--seccomp-via fd|reexec] -- CMD ARGS…';

export const HELPER_HELP = [
  USAGE_TEXT,
  '',
  'The Linux sandbox helper that `codex` starts for sandboxed commands. --policy takes the resolved',
  'policy as JSON (`codex sandbox --explain --json -- CMD` shows one). Start-up warnings are the',
  "caller's to print. Exit status: the command's, or 125 when the sandbox could not be set up.",
  '',
].join('\n');

function usage(msg: string): CodexError {
  return new CodexError('USAGE', `${msg} (${USAGE_TEXT})`, {
    exitCode: EXIT.SANDBOX_SETUP,
  });
}

export function parseHelperArgs(args: readonly string[]): HelperArgs {
  const out: HelperArgs = { route: 'auto', seccompVia: 'fd', command: [] };
  let i = 0;
  const value = (flag: string): string => {
    const v = args[++i];
    if (v === undefined) throw usage(`${flag} needs a value`);
    return v;
  };
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.command = args.slice(i + 1);
      break;
    }
    switch (a) {
      case '--policy':
        out.policy = value(a);
        break;
      case '--route': {
        const v = value(a);
        if (v !== 'auto' && v !== 'landlock' && v !== 'bwrap') throw usage(`unknown route '${v}'`);
        out.route = v;
        break;
      }
      case '--seccomp-via': {
        const v = value(a);
        if (v !== 'fd' && v !== 'reexec') throw usage(`unknown --seccomp-via '${v}'`);
        out.seccompVia = v;
        break;
      }
      case '--inner-seccomp': {
        const v = value(a);
        if (!(SECCOMP_KINDS as readonly string[]).includes(v)) throw usage(`unknown --inner-seccomp '${v}' (${SECCOMP_KINDS.join(', ')})`);
        out.inner = v as SeccompKind;
        break;
      }
      default:
        throw usage(`unknown argument '${a}'`);
    }
  }
  if (out.command.length === 0) throw usage('missing command after --');
  return out;
}

export async function runSandboxHelper(args: string[]): Promise<number> {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    process.stdout.write(HELPER_HELP);
    return 0;
  }
  const a = parseHelperArgs(args);
  const env = process.env;
  if (a.inner !== undefined) innerSeccompExec(a.inner, a.command, env);
  if (a.policy === undefined) throw usage('missing --policy');
  const policy = parsePolicyJson(a.policy);
  const resolved = resolveCommand(a.command[0]!, env.PATH, policy.cwd);
  const plan = planSandboxedSpawn({ policy, command: a.command, env, route: a.route, seccompVia: a.seccompVia });
  const route = plan.route;
  switch (route.kind) {
    case 'unsandboxed':
      return plainExec(resolved, a.command, env);
    case 'refuse':
      throw new CodexError(route.code, route.message, { exitCode: EXIT.SANDBOX_SETUP });
    case 'landlock':
      return landlockExec({ plan: route.plan, network: policy.network, cwd: policy.cwd, file: resolved, argv: a.command, env: plan.env });
    case 'bwrap': {
      const s = prepareSandboxedSpawn({ policy, command: a.command, env, route: a.route, seccompVia: a.seccompVia, search: plan.search });
      // The seccomp fd is wherever our open() put it; bwrap must be told that number.
      const args2 = s.extraFds.length ? s.args.map((x, i) => (s.args[i - 1] === '--seccomp' ? String(s.extraFds[0]) : x)) : s.args;
      return execBwrap(s.file, args2, s.env, s.extraFds);
    }
    default:
      return assertNever(route, 'route');
  }
}
