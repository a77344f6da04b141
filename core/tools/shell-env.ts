// `[shell_environment_policy]`: which environment variables the commands the model runs get.
//   inherit = "all" | "core" | "none"          (default all)
//   ignore_default_excludes = false            (default: drop names containing KEY, SECRET or TOKEN)
//   exclude = ["AWS_*"]  include_only = []  set = { NAME = "value" }
// Applied in that order; patterns are case-insensitive globs (* and ?).

type Table = Record<string, unknown>;

const CORE = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'USER', 'USERNAME', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'LC_ALL', 'TERM'];
const DEFAULT_EXCLUDES = ['*KEY*', '*SECRET*', '*TOKEN*'];

function globRe(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Pure: the command environment from the parent's and the policy table. */
export function shellEnvironment(parent: NodeJS.ProcessEnv, policy: unknown): NodeJS.ProcessEnv {
  const t: Table = typeof policy === 'object' && policy !== null && !Array.isArray(policy) ? (policy as Table) : {};
  const inherit = t.inherit === 'core' || t.inherit === 'none' ? t.inherit : 'all';
  let env: NodeJS.ProcessEnv = {};
  if (inherit === 'all') env = { ...parent };
  else if (inherit === 'core') for (const k of CORE) if (parent[k] !== undefined) env[k] = parent[k];
  const drop = [...(t.ignore_default_excludes === true ? [] : DEFAULT_EXCLUDES), ...strings(t.exclude)].map(globRe);
  for (const k of Object.keys(env)) if (drop.some((re) => re.test(k))) delete env[k];
  if (typeof t.set === 'object' && t.set !== null && !Array.isArray(t.set)) {
    for (const [k, v] of Object.entries(t.set as Table)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') env[k] = String(v);
  }
  const only = strings(t.include_only).map(globRe);
  if (only.length) for (const k of Object.keys(env)) if (!only.some((re) => re.test(k))) delete env[k];
  return env;
}
