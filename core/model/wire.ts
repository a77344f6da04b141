// Responses API wire data parsed at the boundary into tagged unions. Raw items are kept: they go back
// to the model as input history and into the rollout unchanged.

export type WireItem = Record<string, unknown> & { type: string };

export type OutputItem =
  | { kind: 'message'; text: string; id?: string; raw: WireItem }
  | { kind: 'function_call'; name: string; arguments: string; callId: string; raw: WireItem }
  | { kind: 'custom_tool_call'; name: string; input: string; callId: string; raw: WireItem }
  | { kind: 'reasoning'; summary: string; raw: WireItem }
  | { kind: 'other'; raw: WireItem };

export interface Usage {
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
  total_tokens: number;
}

export type StreamEvent =
  | { type: 'created'; responseId?: string }
  | { type: 'item_added'; item: OutputItem }
  | { type: 'item_done'; item: OutputItem }
  | { type: 'text_delta'; delta: string }
  | { type: 'completed'; responseId?: string; usage: Usage; output: OutputItem[] }
  | { type: 'failed'; message: string; code?: string }
  | { type: 'ignored'; kind: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export class WireError extends Error {}

export function parseOutputItem(v: unknown): OutputItem {
  if (!isObj(v) || typeof v.type !== 'string') throw new WireError('output item without a type');
  const raw = v as WireItem;
  switch (raw.type) {
    case 'message': {
      const content = Array.isArray(raw.content) ? raw.content : [];
      const text = content.map((c) => (isObj(c) && (c.type === 'output_text' || c.type === 'text') ? str(c.text) : '')).join('');
      return { kind: 'message', text, id: typeof raw.id === 'string' ? raw.id : undefined, raw };
    }
    case 'function_call':
      return { kind: 'function_call', name: str(raw.name), arguments: str(raw.arguments), callId: str(raw.call_id) || str(raw.id), raw };
    case 'custom_tool_call':
      return { kind: 'custom_tool_call', name: str(raw.name), input: str(raw.input), callId: str(raw.call_id) || str(raw.id), raw };
    case 'reasoning': {
      const summary = Array.isArray(raw.summary) ? raw.summary.map((s) => (isObj(s) ? str(s.text) : '')).join('\n') : '';
      return { kind: 'reasoning', summary, raw };
    }
    default:
      return { kind: 'other', raw };
  }
}

export function parseUsage(v: unknown): Usage {
  const u = isObj(v) ? v : {};
  const inDet = isObj(u.input_tokens_details) ? u.input_tokens_details : {};
  const outDet = isObj(u.output_tokens_details) ? u.output_tokens_details : {};
  const input = num(u.input_tokens);
  const output = num(u.output_tokens);
  return {
    input_tokens: input,
    cached_input_tokens: num(inDet.cached_tokens),
    cache_write_input_tokens: 0,
    output_tokens: output,
    reasoning_output_tokens: num(outDet.reasoning_tokens),
    total_tokens: num(u.total_tokens) || input + output,
  };
}

/** One SSE `data:` payload → event. Throws WireError on malformed JSON (the stream is then retried). */
export function parseStreamEvent(data: string): StreamEvent {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    throw new WireError(`malformed event JSON: ${data.length > 80 ? data.slice(0, 77) + '...' : data}`);
  }
  if (!isObj(v) || typeof v.type !== 'string') throw new WireError('event without a type');
  const resp = isObj(v.response) ? v.response : {};
  switch (v.type) {
    case 'response.created':
      return { type: 'created', responseId: typeof resp.id === 'string' ? resp.id : undefined };
    case 'response.output_item.added':
      return { type: 'item_added', item: parseOutputItem(v.item) };
    case 'response.output_item.done':
      return { type: 'item_done', item: parseOutputItem(v.item) };
    case 'response.output_text.delta':
      return { type: 'text_delta', delta: str(v.delta) };
    case 'response.completed':
      return {
        type: 'completed',
        responseId: typeof resp.id === 'string' ? resp.id : undefined,
        usage: parseUsage(resp.usage),
        output: Array.isArray(resp.output) ? resp.output.map(parseOutputItem) : [],
      };
    case 'response.failed':
    case 'response.incomplete':
    case 'error': {
      const err = isObj(resp.error) ? resp.error : isObj(v.error) ? v.error : v;
      const reason = isObj(resp.incomplete_details) ? str(resp.incomplete_details.reason) : '';
      return { type: 'failed', message: str(err.message) || reason || v.type, code: str(err.code) || undefined };
    }
    default:
      return { type: 'ignored', kind: v.type };
  }
}

export function emptyUsage(): Usage {
  return { input_tokens: 0, cached_input_tokens: 0, cache_write_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 };
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    cached_input_tokens: a.cached_input_tokens + b.cached_input_tokens,
    cache_write_input_tokens: a.cache_write_input_tokens + b.cache_write_input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    reasoning_output_tokens: a.reasoning_output_tokens + b.reasoning_output_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
  };
}
