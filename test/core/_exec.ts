// Shared by the exec tests: a scratch CODEX_HOME pointing at a loopback mock, and an async runner
// (the mock lives in this process, so the binary must not be run synchronously).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODEX_BIN, tempDir } from '../helpers/bin.js';
import type { MockServer } from '../mock/server.js';

export interface ExecRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: Record<string, any>[];
}

export function writeConfig(home: string, mock: MockServer, extra = ''): void {
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(
    path.join(home, 'config.toml'),
    `model = "mock-model"\nmodel_provider = "mock"\n${extra}\n[model_providers.mock]\nname = "mock"\nbase_url = "${mock.url}"\nwire_api = "responses"\nenv_key = "MOCK_KEY"\nrequest_max_retries = 3\n`,
  );
}

export function scratch(mock: MockServer, extra = ''): { home: string; ws: string } {
  const root = tempDir('codex-exec-');
  const home = path.join(root, 'home');
  const ws = path.join(root, 'ws');
  fs.mkdirSync(ws, { recursive: true });
  writeConfig(home, mock, extra);
  return { home, ws };
}

type RunOpts = { home: string; cwd: string; bin?: string; env?: NodeJS.ProcessEnv; onSpawn?: (pid: number) => void; timeoutMs?: number; stdin?: string };

export function runCodexStdin(args: string[], stdin: string, o: RunOpts): Promise<ExecRun> {
  return runCodex(args, { ...o, stdin });
}

export function runCodex(args: string[], o: RunOpts): Promise<ExecRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(o.bin ?? CODEX_BIN, args, {
      cwd: o.cwd,
      env: { ...process.env, CODEX_HOME: o.home, MOCK_KEY: 'test-key', ...(o.env ?? {}) },
      stdio: [o.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (o.stdin !== undefined) child.stdin!.end(o.stdin);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 45_000);
    child.on('error', reject);
    if (child.pid) o.onSpawn?.(child.pid);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const events = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, any>);
      resolve({ status, signal, stdout, stderr, events });
    });
  });
}

/** Every rollout line of the only session file under home/sessions (asserting each parses). */
export function rolloutOf(home: string, id?: string): { file: string; lines: Record<string, any>[] } {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.jsonl')) files.push(p);
    }
  };
  walk(path.join(home, 'sessions'));
  const file = id ? files.find((f) => f.includes(id)) : files.sort().at(-1);
  if (!file) throw new Error(`no rollout in ${home}`);
  const text = fs.readFileSync(file, 'utf8');
  if (!text.endsWith('\n')) throw new Error('rollout does not end with a newline');
  return { file, lines: text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, any>) };
}

export const items = (run: ExecRun, type: string) => run.events.filter((e) => e.type === 'item.completed' && e.item.type === type).map((e) => e.item);

/** function_call_output texts the client sent in a request body. */
export function toolOutputs(body: unknown): string[] {
  const input = (body as { input?: { type: string; output?: string }[] }).input ?? [];
  return input.filter((i) => i.type === 'function_call_output' || i.type === 'custom_tool_call_output').map((i) => String(i.output));
}
