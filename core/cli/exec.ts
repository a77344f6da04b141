// `codex exec [PROMPT|-]` and `codex exec resume [--last|ID] [PROMPT]`: one non-interactive turn.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertNever, CodexError } from '../../protocol/index.js';
import {
  BASE_INSTRUCTIONS,
  buildSession,
  createSession,
  emitWarning,
  gitInfo,
  findSessionId,
  historyFromRollout,
  jsonSink,
  lastSessionId,
  openForAppend,
  parseApprovalPolicy,
  prepareSandboxedCommand,
  resolveSessionPolicy,
  runTurn,
  transcriptSink,
  type Approver,
  type Session,
} from '../agent/index.js';
import { uuidv7 } from '../../rollout/index.js';
import { loadConfig } from '../config/index.js';
import { startBackgroundCompression } from '../features/index.js';
import { apiKeyFor, resolveProvider } from '../model/index.js';
import { DEFAULT_TIMEOUT_MS, ProcessManager, ShellSnapshot, shellEnvironment } from '../tools/index.js';
import { flagBool, flagList, flagString, HelpRequested, parseArgs, renderHelp, type CommandHelp, type FlagSpec } from './args.js';
import { notSupported } from './commands.js';
import type { CliContext } from './context.js';

const FLAGS: FlagSpec[] = [
  { name: 'model', short: 'm', kind: 'string', value: 'MODEL', description: 'model name (config: model)' },
  { name: 'sandbox', short: 's', kind: 'string', value: 'MODE', description: 'read-only | workspace-write | danger-full-access' },
  { name: 'full-auto', kind: 'bool', description: 'workspace-write sandbox, approval_policy on-request' },
  { name: 'dangerously-bypass-approvals-and-sandbox', kind: 'bool', aliases: ['yolo'], description: 'no sandbox, no approvals (only inside an outer sandbox)' },
  { name: 'cd', short: 'C', kind: 'string', value: 'DIR', description: 'work in DIR' },
  { name: 'skip-git-repo-check', kind: 'bool', description: 'allow running outside a git repository' },
  { name: 'json', kind: 'bool', aliases: ['experimental-json'], description: 'JSONL events on stdout' },
  { name: 'output-last-message', short: 'o', kind: 'string', value: 'FILE', description: 'also write the final message to FILE' },
  { name: 'config', short: 'c', kind: 'multi', value: 'key=value', description: 'override a config.toml value' },
  { name: 'enable', kind: 'multi', value: 'FEATURE', description: 'enable a feature flag for this run' },
  { name: 'disable', kind: 'multi', value: 'FEATURE', description: 'disable a feature flag for this run' },
  { name: 'profile', short: 'p', kind: 'string', value: 'NAME', description: 'config profile ([profiles.NAME] in config.toml)' },
  { name: 'last', kind: 'bool', description: 'with `resume`: the most recent session' },
  { name: 'color', kind: 'string', value: 'WHEN', description: 'accepted for compatibility (output is never colored)' },
  { name: 'help', short: 'h', kind: 'bool', description: 'show this help' },
];

const HELP: CommandHelp = {
  usage: ['codex exec [OPTIONS] [PROMPT|-]', 'codex exec resume [--last | ID] [PROMPT]'],
  summary: "Run one agent turn non-interactively. PROMPT '-' (or none, with stdin not a TTY) reads it from stdin; a prompt that starts with '-' or is a command word goes after `--`.",
  args: [
    { name: 'PROMPT', description: 'what to do (quote it: one argument)' },
    { name: 'resume ID', description: 'continue the session ID (or name); --last for the most recent' },
  ],
  example: ['codex exec --skip-git-repo-check -s workspace-write "create hello.txt containing hi"', 'codex exec resume --last "now add a README"'],
};

export async function execMain(ctx: CliContext): Promise<number> {
  const resume = ctx.args[0] === 'resume';
  if (ctx.args[0] === 'help') throw new HelpRequested(renderHelp(HELP, FLAGS));
  const p = parseArgs(resume ? ctx.args.slice(1) : ctx.args, FLAGS, { help: HELP });
  // A lone word naming a command of the real CLI that we lack (`codex exec review`) is refused,
  // not sent to the model; `codex exec -- review` sends it.
  if (!resume && p.positionals.length === 1) {
    const refused = notSupported('exec ', p.positionals[0]!);
    if (refused) throw refused;
  }
  if (p.rest !== undefined) p.positionals.push(...p.rest);
  if (flagBool(p, 'last') && !resume) throw new CodexError('USAGE', '--last is only valid with `codex exec resume`');
  const cwd = path.resolve(flagString(p, 'cd') ?? process.cwd());
  if (!fs.existsSync(cwd) || !fs.statSync(cwd).isDirectory()) throw new CodexError('USAGE', `-C: not a directory: ${cwd}`);
  const cfg = loadConfig({
    overrides: [...ctx.overrides, ...flagList(p, 'config')],
    enable: [...ctx.enable, ...flagList(p, 'enable')],
    disable: [...ctx.disable, ...flagList(p, 'disable')],
    profile: flagString(p, 'profile'),
    model: flagString(p, 'model'),
  });
  // Best effort, detached: never delays or fails this command.
  startBackgroundCompression(cfg);

  let resumeId: string | undefined;
  let promptArg: string | undefined;
  if (resume) {
    const pos = [...p.positionals];
    if (flagBool(p, 'last')) {
      resumeId = lastSessionId(cfg.codexHome);
    } else {
      const id = pos.shift();
      if (!id) throw new CodexError('USAGE', 'codex exec resume needs a session ID (or name) or --last');
      resumeId = findSessionId(cfg.codexHome, id);
    }
    promptArg = pos.shift();
    if (pos.length) throw new CodexError('USAGE', `unexpected argument '${pos[0]}'`);
  } else {
    if (p.positionals.length > 1) throw new CodexError('USAGE', `unexpected argument '${p.positionals[1]}' (quote the prompt)`);
    promptArg = p.positionals[0];
  }
  const prompt = await readPrompt(promptArg, !!process.stdin.isTTY);

  if (!flagBool(p, 'skip-git-repo-check') && !insideGitRepo(cwd)) {
    throw new CodexError('NOT_A_GIT_REPO', `${cwd} is not inside a git repository; run in a repository or pass --skip-git-repo-check`);
  }

  const bypass = flagBool(p, 'dangerously-bypass-approvals-and-sandbox');
  let approvalPolicy = parseApprovalPolicy(cfg.approvalPolicy);
  if (flagBool(p, 'full-auto')) approvalPolicy = 'on-request';
  if (bypass) approvalPolicy = 'never';
  const { policy, mode, warnings } = resolveSessionPolicy(
    cfg,
    { sandboxMode: bypass ? 'danger-full-access' : flagString(p, 'sandbox'), fullAuto: flagBool(p, 'full-auto') && !bypass },
    cwd,
    process.env,
  );
  const provider = resolveProvider(cfg.provider, process.env);
  const apiKey = apiKeyFor(provider, process.env);
  const setup = { config: cfg, provider, ...(apiKey !== undefined ? { apiKey } : {}), policy, sandboxMode: mode, approvalPolicy };

  const json = flagBool(p, 'json');
  const sink = json ? jsonSink((s) => process.stdout.write(s)) : transcriptSink((s) => process.stderr.write(s));

  let session: Session;
  if (resumeId) {
    const { writer, lines } = await openForAppend(cfg.codexHome, resumeId, cfg.sessions);
    const { history, baseInstructions } = historyFromRollout(lines);
    session = buildSession(setup, { threadId: writer.id, writer, history, baseInstructions: baseInstructions ?? BASE_INSTRUCTIONS, hasContext: history.length > 0 });
  } else {
    const id = uuidv7();
    const writer = await createSession(cfg.codexHome, { id, cwd: policy.cwd, modelProvider: provider.id, baseInstructions: BASE_INSTRUCTIONS, git: gitInfo(policy.cwd), now: new Date(), lock: cfg.sessions });
    session = buildSession(setup, { threadId: id, writer, history: [], baseInstructions: BASE_INSTRUCTIONS, hasContext: false });
  }

  sink({ type: 'thread.started', thread_id: session.threadId });
  for (const w of [...cfg.warnings, ...warnings]) emitWarning(sink, w);

  const ctrl = new AbortController();
  const processes = new ProcessManager();
  const snapshot = new ShellSnapshot(path.join(cfg.codexHome, 'shell_snapshots'), session.threadId);
  // Ctrl-C: stop the turn and kill every command it started (the turn's end waits for them).
  const onSigint = () => ctrl.abort();
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  let result;
  try {
    result = await runTurn(session, prompt, {
      sink,
      signal: ctrl.signal,
      approve: makeApprover(),
      prepare: prepareSandboxedCommand,
      selfExe: process.execPath,
      env: shellEnv(process.env, policy.network, cfg.shellEnvironmentPolicy),
      timeoutMs: DEFAULT_TIMEOUT_MS,
      processes,
      snapshot,
    });
  } finally {
    await processes.closeAll();
    snapshot.remove();
    session.writer.close();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  switch (result.status) {
    case 'completed': {
      const msg = result.lastMessage ?? '';
      const out = flagString(p, 'output-last-message');
      if (out) fs.writeFileSync(path.resolve(process.cwd(), out), msg);
      if (!json) process.stdout.write(msg + (msg.endsWith('\n') || !msg ? '' : '\n'));
      return 0;
    }
    case 'interrupted':
      if (!json) process.stderr.write('codex: interrupted; session saved\n');
      return 130;
    case 'failed':
      if (!json) process.stderr.write(`codex: ${result.message}${result.code ? ` [${result.code}]` : ''}\n`);
      return 1;
    default:
      return assertNever(result, 'turn result');
  }
}

/** The commands' environment: CODEX_SANDBOX is added per command, only when it runs sandboxed. */
function shellEnv(env: NodeJS.ProcessEnv, network: boolean, policy: unknown): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...shellEnvironment(env, policy) };
  delete out.CODEX_SANDBOX;
  if (!network) out.CODEX_SANDBOX_NETWORK_DISABLED = '1';
  return out;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The prompt: the argument, or stdin for `-` / no argument; with an argument, piped stdin is appended as a <stdin> block (as 0.169). */
async function readPrompt(arg: string | undefined, stdinIsTty: boolean): Promise<string> {
  if (arg !== undefined && arg !== '-') {
    if (stdinIsTty) return arg;
    const extra = await readStdin();
    if (!extra.trim()) return arg;
    return `${arg}\n\n<stdin>\n${extra.replace(/\n$/, '')}\n</stdin>`;
  }
  if (arg === undefined && stdinIsTty) throw new CodexError('USAGE', 'no prompt: give PROMPT, or `-` to read it from stdin');
  if (arg === undefined) process.stderr.write('Reading prompt from stdin...\n');
  const text = (await readStdin()).trim();
  if (!text) throw new CodexError('USAGE', 'empty prompt on stdin');
  return text;
}

function insideGitRepo(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    if (isGitDirEntry(path.join(d, '.git'))) return true;
    if (path.dirname(d) === d) return false;
  }
}

/** A real repository marker: a `.git` dir with HEAD, or a `.git` file naming its gitdir (worktrees). */
function isGitDirEntry(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (st.isDirectory()) return fs.existsSync(path.join(p, 'HEAD'));
    return st.isFile() && fs.readFileSync(p, 'utf8').startsWith('gitdir:');
  } catch {
    return false;
  }
}

/** Ask on the terminal when there is one; otherwise answer `no_tty` at once (exec never hangs). */
function makeApprover(): Approver {
  return async (req) => {
    if (!process.stdin.isTTY || !process.stderr.isTTY) return 'no_tty';
    process.stderr.write(`\napproval needed: ${req.reason}\n  ${req.subject}\nallow? [y/N] `);
    const answer = await new Promise<string>((resolve) => {
      process.stdin.resume();
      process.stdin.once('data', (d) => {
        process.stdin.pause();
        resolve(String(d).trim().toLowerCase());
      });
    });
    return answer === 'y' || answer === 'yes' ? 'approved' : 'denied';
  };
}

