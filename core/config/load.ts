// Layering: config.toml, then the selected profile, then `-c` overrides, then --enable/--disable.
import * as fs from 'node:fs';
import { CodexError } from '../../protocol/index.js';
import { requireFeature, resolveFeatures, type FeatureSet } from '../features/index.js';
import { compressionSettings, type CompressionSettings } from './compression.js';
import { configPathFor, resolveCodexHome } from './home.js';
import { sessionStoreSettings, type SessionStoreSettings } from './sessions.js';
import { deepMerge, isTable, parseOverride, setPath } from './overrides.js';
import { parseConfigText } from './parse.js';
import type { ConfigTable } from './types.js';

export interface LoadConfigOptions {
  /** Defaults to $CODEX_HOME, else ~/.codex. */
  codexHome?: string;
  env?: NodeJS.ProcessEnv;
  /** `-c key.path=value`, in command-line order (later wins). */
  overrides?: readonly string[];
  enable?: readonly string[];
  disable?: readonly string[];
  /** `--profile NAME`; else the file's top-level `profile` key. */
  profile?: string;
}

export interface LoadedConfig {
  codexHome: string;
  configPath: string;
  /** False when config.toml does not exist (an empty table is used). */
  fileExists: boolean;
  /** The file as parsed, nothing applied. */
  file: ConfigTable;
  /** The effective table: file + profile + overrides + feature flags. Plain data; unknown keys kept. */
  raw: ConfigTable;
  profile?: string;
  features: FeatureSet;
  compression: CompressionSettings;
  /** `[sessions]` with its environment overrides: the thread lock directory and the writers' wait. */
  sessions: SessionStoreSettings;
}

export function loadConfig(opts: LoadConfigOptions = {}): LoadedConfig {
  const codexHome = opts.codexHome ?? resolveCodexHome(opts.env ?? process.env);
  const configPath = configPathFor(codexHome);
  const { table: file, exists } = readConfigFile(configPath);
  return layerConfig({ ...opts, codexHome, configPath, file, fileExists: exists });
}

/** The pure part of loadConfig: everything after reading the file. */
export function layerConfig(o: LoadConfigOptions & { codexHome: string; configPath: string; file: ConfigTable; fileExists: boolean }): LoadedConfig {
  let raw: ConfigTable = structuredClone(o.file);
  // -c may itself pick the profile, so parse overrides first.
  const overrides = (o.overrides ?? []).map(parseOverride);
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
  }
  for (const ov of overrides) setPath(raw, ov.path, ov.value);
  for (const name of o.enable ?? []) setPath(raw, ['features', requireFeature(name).name], true);
  for (const name of o.disable ?? []) setPath(raw, ['features', requireFeature(name).name], false);
  return {
    codexHome: o.codexHome,
    configPath: o.configPath,
    fileExists: o.fileExists,
    file: o.file,
    raw,
    ...(profile !== undefined ? { profile } : {}),
    features: resolveFeatures(raw.features),
    compression: compressionSettings(raw),
    sessions: sessionStoreSettings(raw, o.codexHome, o.env ?? process.env),
  };
}

export function readConfigFile(configPath: string): { table: ConfigTable; exists: boolean; text: string } {
  let text: string;
  try {
    text = fs.readFileSync(configPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { table: {}, exists: false, text: '' };
    throw new CodexError('CONFIG_PARSE', `cannot read ${configPath}: ${(e as Error).message}`, { cause: e });
  }
  return { table: parseConfigText(text, configPath), exists: true, text };
}
