export { resolveProvider, apiKeyFor, type ProviderInfo, DEFAULT_MAX_RETRIES, DEFAULT_STREAM_IDLE_TIMEOUT_MS } from './provider.js';
export { streamResponse, type ModelResponse, type RetryNotice, type StreamOptions } from './client.js';
export { retryAfterMs, backoffMs } from './retry.js';
export { parseStreamEvent, parseOutputItem, parseUsage, emptyUsage, addUsage, type OutputItem, type StreamEvent, type Usage, type WireItem } from './wire.js';
