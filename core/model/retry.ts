// Backoff between attempts: exponential with jitter, or what the server asked for in Retry-After.

/** Delay in ms asked by `retry-after-ms` / `Retry-After` (seconds or an HTTP date), if any. */
export function retryAfterMs(headers: { get(name: string): string | null }, now = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const ra = headers.get('retry-after');
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Math.ceil(Number(ra) * 1000);
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** attempt counts from 1 (the first retry). */
export function backoffMs(attempt: number, rand = Math.random): number {
  const base = 200 * 2 ** (attempt - 1);
  return Math.min(base * (0.9 + 0.2 * rand()), 20_000);
}

/** Never wait longer than this for one retry, whatever the server says. */
export const MAX_RETRY_WAIT_MS = 60_000;
