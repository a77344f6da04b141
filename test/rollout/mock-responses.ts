// A minimal loopback Responses API: every POST …/responses streams one assistant message over SSE
// and records the request body.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { tempDir } from '../helpers/bin.js';

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

/** A CODEX_HOME whose config points the real Codex at the loopback mock, and a project folder. */
export function mockHome(prefix: string, baseUrl: string): { home: string; proj: string; env: NodeJS.ProcessEnv } {
  const root = tempDir(prefix);
  const home = path.join(root, 'home');
  const proj = path.join(root, 'proj');
  fs.mkdirSync(home);
  fs.mkdirSync(proj);
  fs.writeFileSync(
    path.join(home, 'config.toml'),
    // Our `[sessions]` table (lock settings) is in the file: 0.169 must run with it (it ignores it).
    `model = "mock-model"\nmodel_provider = "mock"\n[sessions]\nwriter_lock_wait_seconds = 5\n[model_providers.mock]\nname = "mock"\nbase_url = "${baseUrl}"\nwire_api = "responses"\nenv_key = "MOCK_KEY"\n`,
  );
  return { home, proj, env: { ...process.env, CODEX_HOME: home, MOCK_KEY: 'x', RUST_LOG: 'error' } };
}
