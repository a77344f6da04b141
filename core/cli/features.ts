// `codex features list [--json]` and `codex features enable|disable NAME`.
import { CodexError } from '../../protocol/index.js';
import { loadConfig, setFeatureInConfig } from '../config/index.js';
import { requireFeature, type FeatureState } from '../features/index.js';
import { flagBool, flagList, hint, parseArgs, type CommandHelp, type FlagSpec } from './args.js';
import type { CliContext } from './context.js';

const USAGE = 'usage: codex features list [--json] | codex features enable NAME | codex features disable NAME';

const SPECS: FlagSpec[] = [
  { name: 'json', kind: 'bool', description: 'with list: one JSON object per flag' },
  { name: 'config', short: 'c', kind: 'multi', value: 'key=value', description: 'override a config.toml value' },
  { name: 'enable', kind: 'multi', value: 'FEATURE', description: 'enable a feature flag for this run' },
  { name: 'disable', kind: 'multi', value: 'FEATURE', description: 'disable a feature flag for this run' },
];

const COMMANDS = [
  { name: 'list', summary: 'every flag with its stage and whether it is on (after config and overrides)' },
  { name: 'enable', summary: 'turn a flag on in config.toml ([features] NAME = true)' },
  { name: 'disable', summary: 'turn a flag off in config.toml' },
];

/** Help for `codex features [SUB] --help`, by the subcommand given (if any). */
function helpFor(argv: readonly string[]): CommandHelp {
  const sub = argv.find((a) => COMMANDS.some((c) => c.name === a));
  switch (sub) {
    case 'list':
      return { usage: 'codex features list [--json]', summary: 'List every feature flag: name, stage, and whether it is on for this configuration.', example: 'codex features list --json' };
    case 'enable':
    case 'disable':
      return {
        usage: `codex features ${sub} NAME`,
        summary: `${sub === 'enable' ? 'Enable' : 'Disable'} a feature flag in $CODEX_HOME/config.toml, keeping the file's comments and layout.`,
        args: [{ name: 'NAME', description: 'a flag from `codex features list`' }],
        example: `codex features ${sub} local_thread_store_compression`,
      };
    default:
      return { usage: 'codex features COMMAND [ARGS]', summary: 'Inspect and set feature flags.', commands: COMMANDS, example: 'codex features list' };
  }
}

export async function featuresMain(ctx: CliContext): Promise<number> {
  const p = parseArgs(ctx.args, SPECS, { help: helpFor(ctx.args) });
  const [sub, name, ...extra] = p.positionals;
  const opts = {
    overrides: [...ctx.overrides, ...flagList(p, 'config')],
    enable: [...ctx.enable, ...flagList(p, 'enable')],
    disable: [...ctx.disable, ...flagList(p, 'disable')],
  };
  switch (sub) {
    case 'list': {
      if (name !== undefined) throw new CodexError('USAGE', `unexpected argument '${name}'; ${USAGE}`);
      const cfg = loadConfig(opts);
      const states = cfg.features.list();
      process.stdout.write(flagBool(p, 'json') ? states.map(jsonLine).join('') : table(states));
      return 0;
    }
    case 'enable':
    case 'disable': {
      if (name === undefined || extra.length) throw new CodexError('USAGE', USAGE);
      const spec = requireFeature(name);
      const cfg = loadConfig(opts); // a malformed config.toml is reported before we touch it
      const enable = sub === 'enable';
      // Disabling a default-off flag removes the key, so the file only records real choices.
      setFeatureInConfig(cfg.configPath, spec.name, enable ? true : spec.default ? false : undefined);
      if (enable && (spec.stage === 'under development' || spec.stage === 'experimental')) {
        process.stderr.write(`codex: warning: '${spec.name}' is ${spec.stage}: it is incomplete and may behave unpredictably\n`);
      }
      process.stdout.write(`${enable ? 'Enabled' : 'Disabled'} feature \`${spec.name}\` in ${cfg.configPath}.\n`);
      return 0;
    }
    case undefined:
      throw new CodexError('USAGE', USAGE);
    default:
      throw new CodexError('USAGE', `unknown features command '${sub}'${hint(sub, COMMANDS.map((c) => c.name), '')}; ${USAGE}`);
  }
}

function table(states: FeatureState[]): string {
  const w1 = Math.max(...states.map((s) => s.name.length)) + 2;
  const w2 = Math.max(...states.map((s) => s.stage.length)) + 2;
  return states.map((s) => `${s.name.padEnd(w1)}${s.stage.padEnd(w2)}${s.enabled}\n`).join('');
}

function jsonLine(s: FeatureState): string {
  return JSON.stringify({ name: s.name, stage: s.stage, enabled: s.enabled, default: s.default, source: s.source }) + '\n';
}
