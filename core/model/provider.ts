// The model provider of a session: `model_provider` + `[model_providers.<id>]` from the effective config.
import { CodexError } from '../../protocol/index.js';
import type { ProviderConfig, ProviderToml } from '../config/index.js';

export interface ProviderInfo {
  id: string;
  name: string;
  /** Without a trailing slash; requests go to `${baseUrl}/responses`. */
  baseUrl: string;
  envKey?: string;
  httpHeaders: Record<string, string>;
  /** Extra attempts after the first for HTTP errors (429/5xx) and dropped streams. */
  maxRetries: number;
  streamIdleTimeoutMs: number;
}

export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;

const BUILTIN: Record<string, { name: string; baseUrl: string; envKey: string }> = {
  openai: { name: 'OpenAI', baseUrl: 'https://api.openai.com/v1', envKey: 'OPENAI_API_KEY' },
};

/**
 * Pure: the provider the config's provider slice names (default `openai`), completed from the
 * built-in entry and, for the built-in openai provider only, `OPENAI_BASE_URL`.
 */
export function resolveProvider(config: ProviderConfig, env: NodeJS.ProcessEnv = {}): ProviderInfo {
  const id = config.id;
  const own = config.providers.get(id);
  const builtin = BUILTIN[id];
  if (!own && !builtin) {
    throw new CodexError('CONFIG_INVALID', `model_provider '${id}' is not defined: add a [model_providers.${id}] table with base_url`);
  }
  const t: ProviderToml = { ...(builtin ?? {}), ...(own ?? {}) };
  if (id === 'openai' && !own && env.OPENAI_BASE_URL) t.baseUrl = env.OPENAI_BASE_URL;
  const baseUrl = t.baseUrl?.replace(/\/+$/, '');
  if (!baseUrl) throw new CodexError('CONFIG_INVALID', `[model_providers.${id}] needs base_url`);
  if (t.wireApi !== undefined && t.wireApi !== 'responses') {
    throw new CodexError('CONFIG_INVALID', `[model_providers.${id}] wire_api = ${JSON.stringify(t.wireApi)} is not supported (only "responses")`);
  }
  const headers: Record<string, string> = { ...t.httpHeaders };
  for (const [k, variable] of Object.entries(t.envHttpHeaders ?? {})) {
    const val = env[variable];
    if (val) headers[k] = val;
  }
  return {
    id,
    name: t.name ?? id,
    baseUrl,
    envKey: t.envKey,
    httpHeaders: headers,
    maxRetries: t.requestMaxRetries ?? DEFAULT_MAX_RETRIES,
    streamIdleTimeoutMs: t.streamIdleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  };
}

/** The API key from the provider's env_key (undefined when the provider needs none). */
export function apiKeyFor(p: ProviderInfo, env: NodeJS.ProcessEnv): string | undefined {
  if (!p.envKey) return undefined;
  const k = env[p.envKey];
  if (!k) {
    throw new CodexError('MODEL_NO_API_KEY', `missing API key: set the environment variable ${p.envKey} (env_key of model provider '${p.id}')`);
  }
  return k;
}
