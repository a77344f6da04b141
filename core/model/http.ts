// POST with a streamed answer over node:http/https. (Node's fetch would do, but its first use loads
// and compiles undici: a few hundred ms of every `codex exec` start on a busy machine.)
import * as http from 'node:http';
import * as https from 'node:https';
import { httpsCa } from './ca-bundle.js';

export interface StreamedResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: AsyncIterable<Buffer>;
  text(): Promise<string>;
}

export function postStream(url: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<StreamedResponse> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : undefined;
    if (!mod) return reject(new Error(`unsupported URL scheme in ${url}`));
    const payload = Buffer.from(body);
    let ca: string[] | undefined;
    try {
      ca = mod === https ? httpsCa() : undefined;
    } catch (e) {
      return reject(e);
    }
    const options: https.RequestOptions = { method: 'POST', headers: { ...headers, 'content-length': String(payload.length) }, ...(ca ? { ca } : {}) };
    const req = mod.request(u, options, (res) => {
      resolve({
        status: res.statusCode ?? 0,
        headers: { get: (n) => header(res.headers[n.toLowerCase()]) },
        body: res,
        text: async () => {
          const parts: Buffer[] = [];
          for await (const c of res) parts.push(c as Buffer);
          return Buffer.concat(parts).toString('utf8');
        },
      });
    });
    const onAbort = () => req.destroy(new Error('aborted'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('close', () => signal.removeEventListener('abort', onAbort));
    req.on('error', reject);
    req.end(payload);
  });
}

function header(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(', ') : v;
}
