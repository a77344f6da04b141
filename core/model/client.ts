// POST {base_url}/responses, stream the SSE answer, retry on 429/5xx/dropped or malformed streams.
import { createParser } from 'eventsource-parser';
import { assertNever, CodexError, errText } from '../../protocol/index.js';
import { postStream, type StreamedResponse } from './http.js';
import type { ProviderInfo } from './provider.js';
import { backoffMs, MAX_RETRY_WAIT_MS, retryAfterMs } from './retry.js';
import { parseOutputItem, parseStreamEvent, type OutputItem, type StreamEvent, type Usage, WireError } from './wire.js';

export interface ModelResponse {
  responseId?: string;
  items: OutputItem[];
  usage: Usage;
}

export interface RetryNotice {
  attempt: number;
  maxRetries: number;
  delayMs: number;
  reason: string;
}

export interface StreamOptions {
  provider: ProviderInfo;
  apiKey?: string;
  body: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  onRetry?: (n: RetryNotice) => void;
  onEvent?: (e: StreamEvent) => void;
}

/** A failure worth another attempt (429, 5xx, dropped/idle/malformed stream, network error). */
class Retryable extends Error {
  constructor(
    message: string,
    readonly waitMs?: number,
  ) {
    super(message);
  }
}

export async function streamResponse(o: StreamOptions): Promise<ModelResponse> {
  const max = o.provider.maxRetries;
  let last = '';
  for (let attempt = 0; ; attempt++) {
    if (o.signal?.aborted) throw interrupted();
    try {
      return await attemptOnce(o);
    } catch (e) {
      if (o.signal?.aborted) throw interrupted();
      if (!(e instanceof Retryable)) throw e;
      last = e.message;
      if (attempt >= max) {
        throw new CodexError('MODEL_RETRIES_EXHAUSTED', `model request failed after ${attempt + 1} attempt(s): ${last}`);
      }
      const delayMs = Math.min(e.waitMs ?? backoffMs(attempt + 1), MAX_RETRY_WAIT_MS);
      o.onRetry?.({ attempt: attempt + 1, maxRetries: max, delayMs, reason: e.message });
      await sleep(delayMs, o.signal);
    }
  }
}

function interrupted(): CodexError {
  return new CodexError('INTERRUPTED', 'interrupted', { exitCode: 130 });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function attemptOnce(o: StreamOptions): Promise<ModelResponse> {
  const ctrl = new AbortController();
  const onAbort = () => ctrl.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  let idle: NodeJS.Timeout | undefined;
  let idleFired = false;
  const armIdle = () => {
    clearTimeout(idle);
    if (o.provider.streamIdleTimeoutMs > 0) {
      idle = setTimeout(() => {
        idleFired = true;
        ctrl.abort();
      }, o.provider.streamIdleTimeoutMs);
    }
  };
  try {
    let res: StreamedResponse;
    armIdle();
    try {
      res = await postStream(
        `${o.provider.baseUrl}/responses`,
        {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}),
          ...o.provider.httpHeaders,
          ...(o.headers ?? {}),
        },
        JSON.stringify(o.body),
        ctrl.signal,
      );
    } catch (e) {
      if (o.signal?.aborted || e instanceof CodexError) throw e;
      throw new Retryable(idleFired ? idleText(o) : `connection failed: ${errText(e)}`);
    }
    if (res.status < 200 || res.status > 299) {
      const text = await res.text().catch(() => '');
      const detail = errorDetail(text);
      const why = `HTTP ${res.status}${detail.message ? `: ${detail.message}` : ''}`;
      const fatal = fatalError(detail.code, detail.message, o);
      if (fatal) throw fatal;
      if (res.status === 429 || res.status >= 500) throw new Retryable(why, retryAfterMs(res.headers));
      throw httpFailure(res.status, why, o);
    }
    return await readStream(res.body, o, armIdle, () => idleFired);
  } finally {
    clearTimeout(idle);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

async function readStream(body: AsyncIterable<Buffer>, o: StreamOptions, armIdle: () => void, idleFired: () => boolean): Promise<ModelResponse> {
  const items: OutputItem[] = [];
  let responseId: string | undefined;
  let result: ModelResponse | undefined;
  let failure: Error | undefined;
  let deltas = '';
  const parser = createParser({
    onEvent: (msg) => {
      if (result || failure) return;
      let ev: StreamEvent;
      try {
        ev = parseStreamEvent(msg.data);
      } catch (e) {
        failure = new Retryable(e instanceof WireError ? e.message : errText(e));
        return;
      }
      o.onEvent?.(ev);
      switch (ev.type) {
        case 'created':
          responseId = ev.responseId;
          break;
        case 'item_done':
          items.push(ev.item);
          break;
        case 'completed':
          // Servers that skip output_item.done still list the output here; last resort: the streamed text.
          if (items.length === 0) items.push(...ev.output);
          if (items.length === 0 && deltas) items.push(parseOutputItem({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: deltas }] }));
          result = { responseId: ev.responseId ?? responseId, items, usage: ev.usage };
          break;
        case 'failed':
          failure = fatalError(ev.code, ev.message, o) ?? new Retryable(`response.failed: ${ev.message}`);
          break;
        case 'text_delta':
          deltas += ev.delta;
          break;
        case 'item_added':
        case 'ignored':
          break;
        default:
          assertNever(ev, 'stream event');
      }
    },
  });
  const decoder = new TextDecoder();
  const it = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      let chunk: IteratorResult<Buffer>;
      try {
        chunk = await it.next();
      } catch (e) {
        if (o.signal?.aborted) throw e;
        throw new Retryable(idleFired() ? idleText(o) : `stream dropped: ${errText(e)}`);
      }
      if (chunk.done) break;
      armIdle();
      parser.feed(decoder.decode(chunk.value, { stream: true }));
      if (result || failure) break;
    }
  } finally {
    await it.return?.().catch(() => undefined);
  }
  if (failure) throw failure;
  if (!result) throw new Retryable('stream closed before response.completed');
  return result;
}

function errorDetail(text: string): { message: string; code?: string } {
  try {
    const j = JSON.parse(text) as { error?: { message?: unknown; code?: unknown; type?: unknown } | string; message?: unknown };
    if (typeof j.error === 'string') return { message: j.error };
    if (j.error && typeof j.error === 'object') {
      const code = typeof j.error.code === 'string' ? j.error.code : typeof j.error.type === 'string' ? j.error.type : undefined;
      return { message: typeof j.error.message === 'string' ? j.error.message : '', ...(code ? { code } : {}) };
    }
    if (typeof j.message === 'string') return { message: j.message };
  } catch {
    /* not JSON */
  }
  return { message: text.trim().slice(0, 200) };
}

/** The stall that ends an attempt, named by its setting. */
function idleText(o: StreamOptions): string {
  return `no data from the model for ${o.provider.streamIdleTimeoutMs} ms (stream_idle_timeout_ms of provider ${o.provider.id})`;
}

/** Failures no retry can fix (the request itself or the account): fail at once, saying what to do. */
function fatalError(code: string | undefined, message: string, o: StreamOptions): CodexError | undefined {
  const m = message.toLowerCase();
  if (code === 'context_length_exceeded' || m.includes('context window') || m.includes('context_length_exceeded')) {
    return new CodexError('MODEL_CONTEXT_WINDOW', `the conversation no longer fits the model's context window${message ? ` (${message})` : ''}: start a new session, or resume with a shorter prompt`);
  }
  if (code === 'insufficient_quota' || code === 'usage_limit_reached' || code === 'usage_not_included') {
    return new CodexError('MODEL_QUOTA', `quota exceeded for this account${message ? ` (${message})` : ''}: check your plan and billing details, then run again`);
  }
  if (code === 'invalid_prompt') return new CodexError('MODEL_BAD_REQUEST', `the model refused the prompt: ${message}`);
  void o;
  return undefined;
}

/** 4xx other than 429: the request or the credentials are wrong; retrying cannot help. */
function httpFailure(status: number, why: string, o: StreamOptions): CodexError {
  const url = `${o.provider.baseUrl}/responses`;
  if (status === 401 || status === 403) {
    const key = o.provider.envKey ? `set ${o.provider.envKey} to a valid API key` : 'check the API key';
    return new CodexError('MODEL_UNAUTHORIZED', `${url} refused the credentials (${why}): ${key}`);
  }
  if (status === 400 || status === 404 || status === 422) {
    return new CodexError('MODEL_BAD_REQUEST', `${url} rejected the request (${why}): check \`model\` and the [model_providers.${o.provider.id}] settings`);
  }
  return new CodexError('MODEL_HTTP', `model request to ${url} failed: ${why}`);
}

