// A minimal loopback Responses API: every POST …/responses streams one assistant message over SSE
// and records the request body.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MiniMock {
  baseUrl: string;
  bodies: string[];
  close(): Promise<void>;
}

function sse(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

export async function startMiniMock(reply: string, opts: { delayMs?: number } = {}): Promise<MiniMock> {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.includes('/responses')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{}');
        return;
      }
      const n = bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse('response.created', { response: { id: `resp_${n}` } }));
      setTimeout(() => finish(n), opts.delayMs ?? 0);
    });
    const finish = (n: number) => {
      res.write(sse('response.output_item.done', { item: { type: 'message', role: 'assistant', id: `msg_${n}`, content: [{ type: 'output_text', text: reply }] } }));
      res.end(sse('response.completed', { response: { id: `resp_${n}`, usage: { input_tokens: 1, input_tokens_details: null, output_tokens: 1, output_tokens_details: null, total_tokens: 2 } } }));
    };
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    bodies,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
