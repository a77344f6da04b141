// The I/O half of loading: find and read config.toml, then hand everything to the pure layerConfig.
import * as fs from 'node:fs';
import { CodexError } from '../../protocol/index.js';
import { configPathFor, resolveCodexHome } from './home.js';
import { layerConfig, type LayerOptions } from './layers.js';
import { parseConfigText } from './parse.js';
import type { CodexConfig } from './typed.js';
import type { ConfigTable } from './types.js';

export interface LoadConfigOptions extends LayerOptions {
  /** Defaults to $CODEX_HOME, else ~/.codex. */
  codexHome?: string;
  env?: NodeJS.ProcessEnv;
}

/** Read `$CODEX_HOME/config.toml` and apply the command line's layers: the typed config, parsed once. */
export function loadConfig(opts: LoadConfigOptions = {}): CodexConfig {
  const codexHome = opts.codexHome ?? resolveCodexHome(opts.env ?? process.env);
  const configPath = configPathFor(codexHome);
  const { table: file, exists, text } = readConfigFile(configPath);
  return layerConfig({ ...opts, env: opts.env ?? process.env, codexHome, configPath, file, text, fileExists: exists });
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
