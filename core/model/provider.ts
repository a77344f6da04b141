// The model provider of a session: `model_provider` + `[model_providers.<id>]` from the effective config.
import { CodexError } from '../../protocol/index.js';

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

const BUILTIN: Record<string, { name: string; base_url: string; env_key: string }> = {
  openai: { name: 'OpenAI', base_url: 'https://api.openai.com/v1', env_key: 'OPENAI_API_KEY' },
};

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Pure: resolve the provider named by `model_provider` (default `openai`) from a config table. */
export function resolveProvider(config: Table, env: NodeJS.ProcessEnv = {}): ProviderInfo {
  const id = typeof config.model_provider === 'string' ? config.model_provider : 'openai';
  const all = isTable(config.model_providers) ? config.model_providers : {};
  const raw = all[id];
  const builtin = BUILTIN[id];
  if (!isTable(raw) && !builtin) {
    throw new CodexError('CONFIG_INVALID', `model_provider '${id}' is not defined: add a [model_providers.${id}] table with base_url`);
  }
  const t: Table = { ...(builtin ?? {}), ...(isTable(raw) ? raw : {}) };
  if (id === 'openai' && !isTable(raw) && env.OPENAI_BASE_URL) t.base_url = env.OPENAI_BASE_URL;
  const baseUrl = typeof t.base_url === 'string' ? t.base_url.replace(/\/+$/, '') : undefined;
  if (!baseUrl) throw new CodexError('CONFIG_INVALID', `[model_providers.${id}] needs base_url`);
  const wire = t.wire_api;
  if (wire !== undefined && wire !== 'responses') {
    throw new CodexError('CONFIG_INVALID', `[model_providers.${id}] wire_api = ${JSON.stringify(wire)} is not supported (only "responses")`);
  }
  const headers: Record<string, string> = {};
  if (isTable(t.http_headers)) for (const [k, v] of Object.entries(t.http_headers)) if (typeof v === 'string') headers[k] = v;
  if (isTable(t.env_http_headers)) {
    for (const [k, v] of Object.entries(t.env_http_headers)) {
      const val = typeof v === 'string' ? env[v] : undefined;
      if (val) headers[k] = val;
    }
  }
  return {
    id,
    name: typeof t.name === 'string' ? t.name : id,
    baseUrl,
    envKey: typeof t.env_key === 'string' ? t.env_key : undefined,
    httpHeaders: headers,
    maxRetries: nonNegInt(t.request_max_retries, DEFAULT_MAX_RETRIES),
    streamIdleTimeoutMs: nonNegInt(t.stream_idle_timeout_ms, DEFAULT_STREAM_IDLE_TIMEOUT_MS),
  };
}

function nonNegInt(v: unknown, dflt: number): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : dflt;
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
