// `codex [PROMPT]` and `codex resume [--last | ID|NAME]`: the interactive terminal UI (core/ui).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodexError, EXIT } from '../../protocol/index.js';
import { flagBool, flagList, flagString, parseArgs, type CommandHelp, type FlagSpec } from './args.js';
import type { CliContext } from './context.js';

const FLAGS: FlagSpec[] = [
  { name: 'model', short: 'm', kind: 'string', value: 'MODEL', description: 'model name (config: model)' },
  { name: 'sandbox', short: 's', kind: 'string', value: 'MODE', description: 'read-only | workspace-write | danger-full-access' },
  { name: 'ask-for-approval', short: 'a', kind: 'string', value: 'POLICY', description: 'untrusted | on-request | on-failure | never' },
  { name: 'full-auto', kind: 'bool', description: 'workspace-write sandbox, approval_policy on-request' },
  { name: 'cd', short: 'C', kind: 'string', value: 'DIR', description: 'work in DIR' },
  { name: 'config', short: 'c', kind: 'multi', value: 'key=value', description: 'override a config.toml value' },
  { name: 'profile', short: 'p', kind: 'string', value: 'NAME', description: 'config profile' },
  { name: 'last', kind: 'bool', description: 'with `resume`: the most recent session' },
  { name: 'help', short: 'h', kind: 'bool', description: 'show this help' },
];

const HELP: CommandHelp = {
  usage: ['codex [PROMPT]', 'codex resume [--last | ID|NAME] [OPTIONS]'],
  summary: 'The interactive session in the terminal (needs a terminal; use `codex exec` in scripts). `codex resume` opens the picker over recorded sessions.',
  example: ['codex "explain this repository"', 'codex resume --last'],
};

/** `resume` true for `codex resume …`, false for `codex [PROMPT]`. */
export function uiMain(resume: boolean): (ctx: CliContext) => Promise<number> {
  return async (ctx) => {
    const p = parseArgs(ctx.args, FLAGS, { help: HELP });
    if (p.rest !== undefined) p.positionals.push(...p.rest);
    if (flagBool(p, 'last') && !resume) throw new CodexError('USAGE', '--last is only valid with `codex resume`');
    if (p.positionals.length > 1) throw new CodexError('USAGE', `unexpected argument '${p.positionals[1]}' (quote the prompt)`);
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      throw new CodexError('NOT_A_TERMINAL', `the interactive UI needs a terminal on stdin and stdout; in scripts use \`codex exec ${resume ? 'resume … ' : ''}PROMPT\``, { exitCode: EXIT.USAGE });
    }
    const cwd = path.resolve(flagString(p, 'cd') ?? process.cwd());
    if (!fs.existsSync(cwd) || !fs.statSync(cwd).isDirectory()) throw new CodexError('USAGE', `-C: not a directory: ${cwd}`);
    // Colour off for NO_COLOR and dumb terminals: the renderer's colour library reads FORCE_COLOR
    // when it loads, so set it first (and keep it out of the commands' environment).
    const uiOnlyEnv: string[] = [];
    if ((process.env.NO_COLOR || process.env.TERM === 'dumb') && process.env.FORCE_COLOR === undefined) {
      process.env.FORCE_COLOR = '0';
      uiOnlyEnv.push('FORCE_COLOR');
    }
    const pos = p.positionals[0];
    // The picker's first page goes on screen before Ink is loaded (core/ui/early).
    const firstPage = resume && !flagBool(p, 'last') && !pos ? await (await import('../ui/early/index.js')).paintFirstPage() : undefined;
    // Under CI variables the renderer (is-in-ci) and its colour library decide, once as they load,
    // that nothing interactive can be shown, and a user running `codex` in a CI job's terminal would
    // see nothing. Both ends are terminals here: hide the variables while they load, then put them
    // back for the commands the agent runs.
    const { runInteractive } = await withoutCiVars(() => import('../ui/index.js'));
    return runInteractive({
      cwd,
      overrides: [...ctx.overrides, ...flagList(p, 'config')],
      enable: ctx.enable,
      disable: ctx.disable,
      profile: flagString(p, 'profile'),
      model: flagString(p, 'model'),
      sandbox: flagString(p, 'sandbox'),
      approvalPolicy: flagString(p, 'ask-for-approval'),
      fullAuto: flagBool(p, 'full-auto'),
      ...(firstPage ? { firstPage } : {}),
      ...(resume ? { resume: flagBool(p, 'last') ? { kind: 'last' as const } : pos ? { kind: 'id' as const, id: pos } : { kind: 'picker' as const } } : pos ? { prompt: pos } : {}),
    });
  };
}

/** The variables by which the renderer's libraries detect CI. */
const CI_VARS = ['CI', 'CONTINUOUS_INTEGRATION'];

async function withoutCiVars<T>(load: () => Promise<T>): Promise<T> {
  const saved = CI_VARS.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!] as const);
  for (const [k] of saved) delete process.env[k];
  try {
    return await load();
  } finally {
    for (const [k, v] of saved) process.env[k] = v;
  }
}
