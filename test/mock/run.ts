// Standalone mock Responses server (for the demo and the benchmark):
//   node mock.mjs [--plan FILE.json] [--log FILE.jsonl] [--port N]
// A plan is a list of steps chosen statelessly per request: step k is answered when the request's
// input holds k tool outputs after its last user message; past the end, a final message. So any
// number of sessions (bench iterations, resumes) can run against one server. A plan can also be
// {"byPrompt":[{"match":"…","steps":[…]}],"steps":[…]}: steps chosen by the last user message.
// Prints one line `{"url":…,"port":…}` on stdout once listening; stops on SIGTERM/SIGINT.
import * as fs from 'node:fs';
import { lastUserText, startMock, type MockStep, type RecordedRequest } from './server.js';

export function toolOutputsSinceLastUser(body: unknown): number {
  const input = (body as { input?: { type?: string; role?: string }[] } | undefined)?.input ?? [];
  let n = 0;
  for (let i = input.length - 1; i >= 0; i--) {
    const it = input[i]!;
    if (it.type === 'message' && it.role === 'user') break;
    if (it.type === 'function_call_output' || it.type === 'custom_tool_call_output') n++;
  }
  return n;
}

/** A plan: one list of steps, or lists chosen by a substring of the last user message (first match wins). */
export type Plan = MockStep[] | { byPrompt?: { match: string; steps: MockStep[] }[]; steps?: MockStep[] };

export function planFallback(plan: Plan): (req: RecordedRequest, n: number) => MockStep {
  return (req, n) => {
    const prompt = lastUserText(req.body);
    const steps = Array.isArray(plan) ? plan : (plan.byPrompt?.find((p) => prompt.includes(p.match))?.steps ?? plan.steps ?? []);
    return steps[toolOutputsSinceLastUser(req.body)] ?? { kind: 'message', text: `Done: mock reply ${n}` };
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const planFile = opt('--plan');
  const logFile = opt('--log');
  const plan: Plan = planFile ? (JSON.parse(fs.readFileSync(planFile, 'utf8')) as Plan) : [];
  const server = await startMock({ port: Number(opt('--port') ?? 0), fallback: planFallback(plan) });
  if (logFile) {
    const push = server.requests.push.bind(server.requests);
    server.requests.push = (...rs: RecordedRequest[]) => {
      for (const r of rs) fs.appendFileSync(logFile, JSON.stringify(r) + '\n');
      return push(...rs);
    };
  }
  process.stdout.write(JSON.stringify({ url: server.url, port: server.port }) + '\n');
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
