// The one typed view of the effective config: every consumer takes its slice from here instead of
// reading the untyped table. Pure: the table and the origins in, CodexConfig (or CONFIG_TYPE) out.
import { ConfigReader, describeOrigin, keyPathText, type OriginOf } from '../../protocol/index.js';
import { readSandboxConfig, type SandboxConfig } from '../../sandbox/index.js';
import { resolveFeatures, type FeatureSet } from '../features/index.js';
import { compressionSettings, type CompressionSettings } from './compression.js';
import { unknownKeys } from './keys.js';
import { readProviderConfig, type ProviderConfig } from './provider-toml.js';
import { sessionStoreSettings, type SessionStoreSettings } from './sessions.js';
import type { ConfigTable } from './types.js';

/** The model when neither a flag nor the config names one. */
export const DEFAULT_MODEL = 'gpt-5.1-codex';

/** What a session needs from the config (see core/agent buildSession). */
export interface SessionConfig {
  codexHome: string;
  /** `-m` / `model`, else DEFAULT_MODEL. */
  model: string;
  /** The request's `reasoning` field: `model_reasoning_effort`, `model_reasoning_summary` (default auto; `none` omits it). */
  reasoning: { effort?: string; summary?: string };
  /** `model_context_window` (tokens), when set. */
  modelContextWindow?: number;
  /** `project_doc_max_bytes`, when set. */
  projectDocMaxBytes?: number;
}

export interface CodexConfig extends SessionConfig {
  configPath: string;
  /** False when config.toml does not exist (an empty table is used). */
  fileExists: boolean;
  /** The selected profile, if any. */
  profile?: string;
  /** `approval_policy` as written (core/agent parses the value). */
  approvalPolicy?: string;
  provider: ProviderConfig;
  /** The sandbox slice, parsed by the sandbox module with each value's origin. */
  sandbox: SandboxConfig;
  /** `shell_environment_policy`, handed to the tools' own parser. */
  shellEnvironmentPolicy?: Record<string, unknown>;
  features: FeatureSet;
  compression: CompressionSettings;
  /** `[sessions]` with its environment overrides: the thread lock directory and the writers' wait. */
  sessions: SessionStoreSettings;
  /** Where each value came from: layer, file and line. */
  originOf: OriginOf;
  /** One line per problem that does not stop the program (0.169 shows them at the start of a session). */
  warnings: string[];
  /** The effective table, for diagnostics only: consumers read the typed fields above. */
  raw: ConfigTable;
}

export interface ConfigSource {
  codexHome: string;
  configPath: string;
  fileExists: boolean;
  profile?: string;
  /** CLI flags that are config values (`-m`). */
  flags?: { model?: string };
  /** The environment, for `[sessions]`'s documented overrides. */
  env: NodeJS.ProcessEnv;
}

/** Type the effective table. Throws CONFIG_TYPE (one line: where, key, expected type) for a value of the wrong type. */
export function typeConfig(raw: ConfigTable, originOf: OriginOf, src: ConfigSource): CodexConfig {
  const r = new ConfigReader(originOf);
  const reasoning: { effort?: string; summary?: string } = {};
  const effort = r.string(raw, ['model_reasoning_effort']);
  if (effort !== undefined) reasoning.effort = effort;
  const summary = r.string(raw, ['model_reasoning_summary']);
  if (summary !== 'none') reasoning.summary = summary ?? 'auto';
  const fileModel = r.string(raw, ['model']);
  r.string(raw, ['profile']);
  const features = r.table(raw, ['features']);
  if (features) for (const k of Object.keys(features)) r.bool(features, ['features', k]);
  const out: CodexConfig = {
    codexHome: src.codexHome,
    configPath: src.configPath,
    fileExists: src.fileExists,
    ...(src.profile !== undefined ? { profile: src.profile } : {}),
    model: src.flags?.model ?? fileModel ?? DEFAULT_MODEL,
    reasoning,
    provider: readProviderConfig(raw, r),
    sandbox: readSandboxConfig(raw, originOf),
    features: resolveFeatures(features),
    compression: compressionSettings(raw, originOf),
    sessions: sessionStoreSettings(raw, src.codexHome, src.env, r),
    originOf,
    warnings: [],
    raw,
  };
  const set = <K extends keyof CodexConfig>(k: K, v: CodexConfig[K] | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  set('modelContextWindow', r.int(raw, ['model_context_window'], 1));
  set('projectDocMaxBytes', r.int(raw, ['project_doc_max_bytes']));
  set('approvalPolicy', r.string(raw, ['approval_policy']));
  set('shellEnvironmentPolicy', r.table(raw, ['shell_environment_policy']));
  const unknown = unknownKeys(raw);
  if (unknown.length > 0) out.warnings.push(unknownKeysWarning(unknown, originOf));
  return out;
}

/** One warning for every key nothing reads, each with where it was set (as 0.169: one notice, not one per key). */
export function unknownKeysWarning(paths: readonly string[][], originOf: OriginOf): string {
  const n = paths.length;
  const list = paths.map((p) => `\`${keyPathText(p)}\` (${describeOrigin(originOf(p))})`).join(', ');
  return `ignoring ${n} unrecognized configuration setting${n === 1 ? '' : 's'} (a typo, or a key of another Codex version): ${list}`;
}
