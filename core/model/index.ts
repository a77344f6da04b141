// The model client: provider settings, the Responses API stream with its retries, wire items.
// Only what other folders use is here.
export { resolveProvider, apiKeyFor, type ProviderInfo } from './provider.js';
export { streamResponse } from './client.js';
export { emptyUsage, addUsage, type OutputItem, type Usage, type WireItem } from './wire.js';
