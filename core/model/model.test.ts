import { describe, expect, it } from 'vitest';
import { layerConfig, type ConfigTable } from '../config/index.js';
import { resolveProvider as resolveFrom } from './provider.js';
import { backoffMs, retryAfterMs } from './retry.js';
import { parseStreamEvent } from './wire.js';

/** The provider a config.toml table selects, through the typed config as the commands get it. */
const resolveProvider = (file: ConfigTable, env: NodeJS.ProcessEnv = {}) =>
  resolveFrom(layerConfig({ codexHome: '/h', configPath: '/h/config.toml', file, fileExists: true }).provider, env);
const h = (o: Record<string, string>) => ({ get: (k: string) => o[k] ?? null });

describe('provider', () => {
  it('reads [model_providers.<id>]', () => {
    const p = resolveProvider({
      model_provider: 'x',
      model_providers: { x: { base_url: 'http://h/v1/', env_key: 'K', http_headers: { 'X-A': 'b' }, request_max_retries: 2, stream_idle_timeout_ms: 500 } },
    });
    expect(p).toMatchObject({ id: 'x', baseUrl: 'http://h/v1', envKey: 'K', httpHeaders: { 'X-A': 'b' }, maxRetries: 2, streamIdleTimeoutMs: 500 });
  });
  it('defaults to the built-in openai provider and rejects unknown ids and other wire APIs', () => {
    expect(resolveProvider({})).toMatchObject({ id: 'openai', baseUrl: 'https://api.openai.com/v1', envKey: 'OPENAI_API_KEY' });
    expect(() => resolveProvider({ model_provider: 'nope' })).toThrow(/not defined/);
    expect(() => resolveProvider({ model_provider: 'c', model_providers: { c: { base_url: 'http://x', wire_api: 'chat' } } })).toThrow(/wire_api/);
  });
  it('OPENAI_BASE_URL moves only the built-in provider; env_http_headers read the environment', () => {
    expect(resolveProvider({}, { OPENAI_BASE_URL: 'http://127.0.0.1:1/v1/' }).baseUrl).toBe('http://127.0.0.1:1/v1');
    const p = resolveProvider({ model_provider: 'x', model_providers: { x: { base_url: 'http://h', env_http_headers: { 'X-K': 'MYVAR' } } } }, { MYVAR: 'v', OPENAI_BASE_URL: 'http://no' });
    expect(p).toMatchObject({ baseUrl: 'http://h', httpHeaders: { 'X-K': 'v' } });
  });
  it('a provider value of the wrong type names the key (CONFIG_TYPE), not silently defaulted', () => {
    expect(() => resolveProvider({ model_providers: { x: { base_url: 7 } } })).toThrow(expect.objectContaining({ code: 'CONFIG_TYPE', message: expect.stringContaining('`model_providers.x.base_url` must be a string, got integer 7') }));
    expect(() => resolveProvider({ model_providers: { x: { base_url: 'http://h', request_max_retries: -1 } } })).toThrow(/request_max_retries/);
    expect(() => resolveProvider({ model_providers: { x: { base_url: 'http://h', http_headers: { a: 1 } } } })).toThrow(/http_headers\.a/);
  });
});

describe('retry', () => {
  it('honours Retry-After seconds, dates and retry-after-ms', () => {
    expect(retryAfterMs(h({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(h({ 'retry-after-ms': '150' }))).toBe(150);
    expect(retryAfterMs(h({ 'retry-after': new Date(10_000).toUTCString() }), 7_000)).toBe(3000);
    expect(retryAfterMs(h({}))).toBeUndefined();
  });
  it('backs off exponentially with jitter', () => {
    expect(backoffMs(1, () => 0.5)).toBe(200);
    expect(backoffMs(3, () => 0.5)).toBe(800);
  });
});

describe('wire events', () => {
  it('parses items and usage into tagged unions', () => {
    const e = parseStreamEvent('{"type":"response.output_item.done","item":{"type":"function_call","name":"exec_command","arguments":"{}","call_id":"c1"}}');
    expect(e).toMatchObject({ type: 'item_done', item: { kind: 'function_call', name: 'exec_command', callId: 'c1' } });
    const c = parseStreamEvent('{"type":"response.completed","response":{"id":"r","usage":{"input_tokens":3,"output_tokens":2,"input_tokens_details":{"cached_tokens":1}}}}');
    expect(c).toMatchObject({ type: 'completed', usage: { input_tokens: 3, output_tokens: 2, cached_input_tokens: 1, total_tokens: 5 } });
    expect(() => parseStreamEvent('{oops')).toThrow(/malformed event JSON/);
    const withOutput = parseStreamEvent('{"type":"response.completed","response":{"output":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"hi"}]}]}}');
    expect(withOutput).toMatchObject({ type: 'completed', output: [{ kind: 'message', text: 'hi' }] });
  });
});
