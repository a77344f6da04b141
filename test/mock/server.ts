// A scripted loopback Responses API: real HTTP + SSE on 127.0.0.1 (free port). Each POST /responses
// consumes the next scripted step; when the script runs out it answers with a plain final message.
// Every request is recorded (headers + parsed body) so tests can check what the client sent.
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface MockUsage {
  input_tokens: number;
  output_tokens: number;
}

/** One answer of the mock to one POST /responses. */
export type MockStep =
  | {
      kind: 'message';
      text: string;
      delayMs?: number;
      /** only text deltas and response.completed, no output_item events */
      bare?: boolean;
      /** After the first text delta, wait for this before sending the rest (a test watches the partial text). */
      hold?: Promise<unknown>;
    }
  | { kind: 'call'; name: string; args: unknown; callId?: string; text?: string; delayMs?: number }
  | { kind: 'calls'; calls: { name: string; args: unknown; callId?: string }[] }
  | { kind: 'custom_call'; name: string; input: string; callId?: string }
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** Send the step's events, but cut the connection in the middle of the last one. */
  | { kind: 'cut'; after: MockStep }
  /** A data line that is not JSON, then close. */
  | { kind: 'malformed' }
  | { kind: 'failed'; message: string };

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  at: number;
}

export interface MockServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Append steps to the script. */
  push(...steps: MockStep[]): void;
  /** Steps pushed but not consumed yet. */
  pending(): number;
  /** Drop the steps not consumed (a test's leftovers must not answer the next test). */
  reset(): void;
  close(): Promise<void>;
}

export interface MockOptions {
  steps?: MockStep[];
  port?: number;
  /** Called when the script is empty: choose a step from the request (default: a final message). */
  fallback?: (req: RecordedRequest, n: number) => MockStep;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}

let counter = 0;

function sse(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** A text cut into up to `n` pieces at character (code point) boundaries, as a model streams it. */
export function textPieces(text: string, n = 3): string[] {
  const chars = [...text];
  const size = Math.max(1, Math.ceil(chars.length / n));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out.length ? out : [''];
}

function deltas(itemId: string, text: string): string[] {
  return textPieces(text).map((delta) => sse('response.output_text.delta', { item_id: itemId, output_index: 0, content_index: 0, delta }));
}

/** The SSE text of a successful step (message and/or function calls). */
export function stepEvents(step: MockStep, n: number): string[] {
  const respId = `resp_${n}`;
  const out: string[] = [sse('response.created', { response: { id: respId } })];
  const items: Record<string, unknown>[] = [];
  const text = step.kind === 'message' ? step.text : step.kind === 'call' ? step.text : undefined;
  if (text !== undefined) {
    const id = `msg_${n}`;
    out.push(sse('response.output_item.added', { output_index: 0, item: { type: 'message', id, role: 'assistant', status: 'in_progress', content: [] } }));
    out.push(...deltas(id, text));
    items.push({ type: 'message', id, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] });
  }
  const calls = step.kind === 'call' ? [step] : step.kind === 'calls' ? step.calls : [];
  for (const c of calls) {
    const callId = c.callId ?? `call_${n}_${items.length}`;
    items.push({ type: 'function_call', id: `fc_${callId}`, call_id: callId, name: c.name, arguments: typeof c.args === 'string' ? c.args : JSON.stringify(c.args), status: 'completed' });
  }
  if (step.kind === 'custom_call') {
    items.push({ type: 'custom_tool_call', id: `ctc_${n}`, call_id: step.callId ?? `call_${n}`, name: step.name, input: step.input, status: 'completed' });
  }
  if (step.kind === 'message' && step.bare) {
    out.length = 1;
    out.push(...deltas(`msg_${n}`, step.text));
    items.length = 0;
  }
  items.forEach((item, i) => {
    if (item.type !== 'message') out.push(sse('response.output_item.added', { output_index: i, item }));
    out.push(sse('response.output_item.done', { output_index: i, item }));
  });
  out.push(
    sse('response.completed', {
      response: {
        id: respId,
        usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 15 },
      },
    }),
  );
  return out;
}

export async function startMock(opts: MockOptions = {}): Promise<MockServer> {
  const script: MockStep[] = [...(opts.steps ?? [])];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        /* keep raw text */
      }
      const rec: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, at: Date.now() };
      requests.push(rec);
      if (req.method !== 'POST' || !(req.url ?? '').endsWith('/responses')) {
        // Codex also probes /models: an empty list keeps it quiet.
        res.writeHead(req.url?.includes('/models') ? 200 : 404, { 'content-type': 'application/json' });
        res.end(req.url?.includes('/models') ? '{"models":[],"data":[]}' : '{"error":"not found"}');
        return;
      }
      const n = ++counter;
      const step = script.shift() ?? (opts.fallback ? opts.fallback(rec, n) : { kind: 'message', text: `Done: mock reply ${n}` });
      void answer(res, withSessionIds(step, rec.body), n);
    });
  };
  const server = opts.tls ? https.createServer(opts.tls, handler) : http.createServer(handler);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}/v1`,
    port,
    requests,
    push: (...steps) => script.push(...steps),
    pending: () => script.length,
    reset: () => void script.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The placeholder a scripted call's args may hold for "the session id the last tool output named". */
export const SESSION_ID = '$SESSION_ID';

/** The last `session ID N` a tool output in the request reported (unified exec's running process), if any. */
export function lastSessionId(body: unknown): number | undefined {
  const input = (body as { input?: { type?: string; output?: unknown }[] } | undefined)?.input ?? [];
  for (let i = input.length - 1; i >= 0; i--) {
    const it = input[i]!;
    if (it.type !== 'function_call_output' && it.type !== 'custom_tool_call_output') continue;
    const m = /session ID (\d+)/.exec(typeof it.output === 'string' ? it.output : JSON.stringify(it.output));
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** Replace `"$SESSION_ID"` in a step's call arguments by the session id read back from the request's tool outputs. */
export function withSessionIds(step: MockStep, body: unknown): MockStep {
  const fill = (args: unknown): unknown => {
    const text = typeof args === 'string' ? args : JSON.stringify(args);
    if (!text.includes(SESSION_ID)) return args;
    const id = lastSessionId(body) ?? -1;
    return JSON.parse(text.split(JSON.stringify(SESSION_ID)).join(String(id))) as unknown;
  };
  if (step.kind === 'call') return { ...step, args: fill(step.args) };
  if (step.kind === 'calls') return { ...step, calls: step.calls.map((c) => ({ ...c, args: fill(c.args) })) };
  return step;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function answer(res: http.ServerResponse, step: MockStep, n: number): Promise<void> {
  switch (step.kind) {
    case 'status':
      res.writeHead(step.status, { 'content-type': 'application/json', ...(step.headers ?? {}) });
      res.end(step.body ?? JSON.stringify({ error: { message: `mock status ${step.status}`, type: 'server_error' } }));
      return;
    case 'malformed':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse('response.created', { response: { id: `resp_${n}` } }));
      res.end('event: response.output_item.done\ndata: {"type":"response.output_item.done","item":{not json\n\n');
      return;
    case 'failed':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse('response.created', { response: { id: `resp_${n}` } }));
      res.end(sse('response.failed', { response: { id: `resp_${n}`, error: { code: 'server_error', message: step.message } } }));
      return;
    case 'cut': {
      const events = stepEvents(step.after, n);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const last = events[events.length - 1]!;
      res.write(events.slice(0, -1).join('') + last.slice(0, Math.floor(last.length / 2)));
      await sleep(20);
      res.socket?.destroy();
      return;
    }
    case 'message':
    case 'call':
    case 'calls':
    case 'custom_call': {
      if ('delayMs' in step && step.delayMs) await sleep(step.delayMs);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      let held = step.kind !== 'message' || !step.hold;
      for (const e of stepEvents(step, n)) {
        res.write(e);
        if (!held && e.startsWith('event: response.output_text.delta')) {
          held = true;
          await (step as { hold: Promise<unknown> }).hold;
        }
      }
      res.end();
      return;
    }
  }
}

/** The text of the last user message in a Responses request (for rule-based fallbacks). */
export function lastUserText(body: unknown): string {
  const input = (body as { input?: unknown[] } | undefined)?.input ?? [];
  for (let i = input.length - 1; i >= 0; i--) {
    const it = input[i] as { type?: string; role?: string; content?: { text?: string }[] };
    if (it.type === 'message' && it.role === 'user') return (it.content ?? []).map((c) => c.text ?? '').join('');
  }
  return '';
}

/** Whether the last input item is a tool output (the model is being asked to continue). */
export function lastIsToolOutput(body: unknown): boolean {
  const input = (body as { input?: { type?: string }[] } | undefined)?.input ?? [];
  const t = input[input.length - 1]?.type;
  return t === 'function_call_output' || t === 'custom_tool_call_output';
}
