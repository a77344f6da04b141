// The model-provider slice of the config: `model_provider` and `[model_providers.<id>]`, typed.
// Choosing and completing the provider (built-ins, env) is core/model's resolveProvider.
import type { ConfigOrigin, ConfigReader } from '../../protocol/index.js';
import type { ConfigTable } from './types.js';

export interface ProviderToml {
  name?: string;
  baseUrl?: string;
  envKey?: string;
  wireApi?: string;
  httpHeaders?: Record<string, string>;
  /** Header name → the environment variable holding its value. */
  envHttpHeaders?: Record<string, string>;
  requestMaxRetries?: number;
  streamIdleTimeoutMs?: number;
}

export interface ProviderConfig {
  /** `model_provider`, default `openai`. */
  id: string;
  idOrigin?: ConfigOrigin;
  /** `[model_providers.<id>]` tables as written (the built-in openai entry is not here). */
  providers: ReadonlyMap<string, ProviderToml>;
}

export function readProviderConfig(raw: ConfigTable, r: ConfigReader): ProviderConfig {
  const id = r.string(raw, ['model_provider']) ?? 'openai';
  const providers = new Map<string, ProviderToml>();
  const all = r.table(raw, ['model_providers']) ?? {};
  for (const name of Object.keys(all)) {
    const at = ['model_providers', name];
    const t = r.table(all, at)!;
    const p: ProviderToml = {};
    const set = <K extends keyof ProviderToml>(k: K, v: ProviderToml[K] | undefined): void => {
      if (v !== undefined) p[k] = v;
    };
    set('name', r.string(t, [...at, 'name']));
    set('baseUrl', r.string(t, [...at, 'base_url']));
    set('envKey', r.string(t, [...at, 'env_key']));
    set('wireApi', r.string(t, [...at, 'wire_api']));
    set('httpHeaders', r.stringMap(t, [...at, 'http_headers']));
    set('envHttpHeaders', r.stringMap(t, [...at, 'env_http_headers']));
    set('requestMaxRetries', r.int(t, [...at, 'request_max_retries']));
    set('streamIdleTimeoutMs', r.int(t, [...at, 'stream_idle_timeout_ms']));
    providers.set(name, p);
  }
  const idOrigin = r.originOf(['model_provider']);
  return { id, ...(idOrigin ? { idOrigin } : {}), providers };
}
