// Layering, pure: config.toml, then the selected profile, then `-c` overrides, then CLI flags
// (--enable/--disable, -m). Each value's origin is recorded as the layer sets it.
import { CodexError, type ConfigOrigin } from '../../protocol/index.js';
import { requireFeature } from '../features/index.js';
import { keyLines, lineOf, OriginMap } from './origins.js';
import { deepMerge, isTable, parseOverride, setPath } from './overrides.js';
import { typeConfig, type CodexConfig } from './typed.js';
import type { ConfigTable } from './types.js';

export interface LayerOptions {
  /** `-c key.path=value`, in command-line order (later wins). */
  overrides?: readonly string[];
  enable?: readonly string[];
  disable?: readonly string[];
  /** `--profile NAME`; else `-c profile=NAME`, else the file's top-level `profile` key. */
  profile?: string;
  /** `-m MODEL`. */
  model?: string;
  /** For the environment overrides of `[sessions]` (none when absent). */
  env?: NodeJS.ProcessEnv;
}

export interface FileLayer {
  codexHome: string;
  configPath: string;
  /** config.toml as parsed ({} when it does not exist) and its text (for line numbers). */
  file: ConfigTable;
  text?: string;
  fileExists: boolean;
}

/**
 * The whole config from the file layer and the command line, typed once.
 *
 * @example
 *   const c = layerConfig({ codexHome: '/h', configPath: '/h/config.toml', file: { model: 'a' }, text: 'model = "a"\n', fileExists: true, overrides: ['model=b'] });
 *   c.model; // 'b'
 *   c.originOf(['model']); // { layer: 'override', arg: '-c model=b' }
 */
export function layerConfig(o: LayerOptions & FileLayer): CodexConfig {
  const lines = keyLines(o.text ?? '');
  const origins = new OriginMap();
  const fileOrigin = (p: readonly string[]): ConfigOrigin => {
    const line = lineOf(lines, p);
    return { layer: 'file', file: o.configPath, ...(line !== undefined ? { line } : {}) };
  };
  origins.merge(o.file, [], fileOrigin);
  let raw: ConfigTable = structuredClone(o.file);
  // -c may itself pick the profile, so parse overrides first.
  const overrides = (o.overrides ?? []).map((spec) => ({ spec, ...parseOverride(spec) }));
  const profileFromOverride = overrides.filter((x) => x.path.length === 1 && x.path[0] === 'profile').pop()?.value;
  const profile = o.profile ?? (typeof profileFromOverride === 'string' ? profileFromOverride : undefined) ?? (typeof raw.profile === 'string' ? raw.profile : undefined);
  if (profile !== undefined) {
    const profiles = raw.profiles;
    const p = isTable(profiles) ? profiles[profile] : undefined;
    if (!isTable(p)) {
      const known = isTable(profiles) ? Object.keys(profiles) : [];
      throw new CodexError('CONFIG_INVALID', `config profile '${profile}' not found in ${o.configPath}${known.length ? ` (have: ${known.join(', ')})` : ''}`);
    }
    raw = deepMerge(raw, p);
    origins.merge(p, [], (path) => ({ ...fileOrigin(['profiles', profile, ...path]), layer: 'profile' }));
  }
  for (const ov of overrides) {
    setPath(raw, ov.path, ov.value);
    origins.assign(ov.value, ov.path, { layer: 'override', arg: `-c ${ov.spec}` });
  }
  const flag = (path: string[], value: boolean | string, arg: string): void => {
    setPath(raw, path, value);
    origins.assign(value, path, { layer: 'flag', arg });
  };
  for (const name of o.enable ?? []) flag(['features', requireFeature(name).name], true, `--enable ${name}`);
  for (const name of o.disable ?? []) flag(['features', requireFeature(name).name], false, `--disable ${name}`);
  return typeConfig(raw, origins.lookup, {
    codexHome: o.codexHome,
    configPath: o.configPath,
    fileExists: o.fileExists,
    ...(profile !== undefined ? { profile } : {}),
    ...(o.model !== undefined ? { flags: { model: o.model } } : {}),
    env: o.env ?? {},
  });
}
