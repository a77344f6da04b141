// The same scripted turn through ours and the real Codex 0.169: the --json event streams must agree
// (types, order, command_execution fields, final message), and the requests must have the same shape.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_MISSING_REASON, referenceCodex, scratchOutsideTmp } from '../helpers/bin.js';
import { SESSION_ID, startMock, type MockServer } from '../mock/server.js';
import { rolloutOf, runCodex, toolOutputs, writeConfig, type ExecRun } from './_exec.js';

const ref = referenceCodex();
let mock: MockServer;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(async () => {
  await mock.close();
});

// Outside /tmp: Codex 0.169 will not create its sandbox helper links under a temporary CODEX_HOME.
function scratch(name: string): { home: string; ws: string } {
  const root = scratchOutsideTmp(`core-diff-${name}-`);
  const home = path.join(root, 'home');
  const ws = path.join(root, 'ws');
  fs.mkdirSync(ws, { recursive: true });
  writeConfig(home, mock);
  return { home, ws };
}

/** Events without ids, thread ids, warnings, and with the shell's own noise dropped from outputs. */
function normalize(r: ExecRun): unknown[] {
  return r.events
    .filter((e) => !(e.item?.type === 'error'))
    .map((e) => {
      if (e.type === 'thread.started') return { type: e.type };
      if (!e.item) return e.type === 'turn.completed' ? { type: e.type } : e;
      const { id: _id, ...item } = e.item;
      if (typeof item.aggregated_output === 'string') item.aggregated_output = item.aggregated_output.replace(/^pyenv: .*\n/gm, '');
      return { type: e.type, item };
    });
}

describe.skipIf(!ref)(`codex exec --json vs Codex 0.169${ref ? '' : ` (skipped: ${REFERENCE_MISSING_REASON})`}`, () => {
  it('emits the same events for a command then an answer', async () => {
    const runs: ExecRun[] = [];
    const bodies: Record<string, any>[] = [];
    for (const [name, bin] of [
      ['ours', undefined],
      ['ref', ref],
    ] as const) {
      const { home, ws } = scratch(name);
      const before = mock.requests.length;
      mock.push({ kind: 'call', name: 'exec_command', args: { cmd: ' echo hi-from-tool > made.txt' } }, { kind: 'message', text: 'Done: same answer' });
      const r = await runCodex(['exec', '--json', '--skip-git-repo-check', '-s', 'workspace-write', 'please run: echo hi-from-tool > made.txt'], { home, cwd: ws, bin });
      expect(r.status, r.stderr).toBe(0);
      expect(fs.readFileSync(path.join(ws, 'made.txt'), 'utf8')).toBe('hi-from-tool\n');
      runs.push(r);
      bodies.push(mock.requests[before]!.body as Record<string, any>);
      fs.rmSync(path.dirname(home), { recursive: true, force: true });
    }
    expect(normalize(runs[0]!)).toEqual(normalize(runs[1]!));
    const [ours, theirs] = bodies;
    for (const k of ['model', 'tool_choice', 'parallel_tool_calls', 'reasoning', 'store', 'stream', 'include']) expect(ours![k], k).toEqual(theirs![k]);
    expect(ours!.prompt_cache_key).toBe(runs[0]!.events[0]!.thread_id);
    expect(theirs!.prompt_cache_key).toBe(runs[1]!.events[0]!.thread_id);
    const execTool = (b: Record<string, any>) => b.tools.find((t: any) => t.name === 'exec_command');
    expect(execTool(ours!).parameters.required).toEqual(execTool(theirs!).parameters.required);
  });
});

/** (line type, payload type) pairs of a rollout. */
function lineKinds(lines: Record<string, any>[]): Set<string> {
  return new Set(lines.map((l) => `${l.type}${typeof l.payload?.type === 'string' ? `/${l.payload.type}` : ''}`));
}

describe.skipIf(!ref)(`unified exec vs Codex 0.169${ref ? '' : ` (skipped: ${REFERENCE_MISSING_REASON})`}`, () => {
  it('same tool schemas for exec_command and write_stdin; a polled command reads the same; rollout line kinds a subset of 0.169', async () => {
    const runs: ExecRun[] = [];
    const bodies: Record<string, any>[][] = [];
    const kinds: Set<string>[] = [];
    for (const [name, bin] of [
      ['ours', undefined],
      ['ref', ref],
    ] as const) {
      const { home, ws } = scratch(`ue-${name}`);
      const before = mock.requests.length;
      mock.push(
        { kind: 'call', name: 'exec_command', args: { cmd: 'echo first; sleep 2; echo second', yield_time_ms: 1000 } },
        { kind: 'call', name: 'write_stdin', args: { session_id: SESSION_ID, chars: '', yield_time_ms: 10000 } },
        { kind: 'message', text: 'Done: polled' },
      );
      const r = await runCodex(['exec', '--json', '--skip-git-repo-check', '-s', 'workspace-write', 'run and poll'], { home, cwd: ws, bin });
      expect(r.status, r.stderr).toBe(0);
      runs.push(r);
      bodies.push(mock.requests.slice(before).filter((q) => q.url.endsWith('/responses')).map((q) => q.body as Record<string, any>));
      kinds.push(lineKinds(rolloutOf(home).lines));
      fs.rmSync(path.dirname(home), { recursive: true, force: true });
    }
    expect(normalize(runs[0]!)).toEqual(normalize(runs[1]!));
    const tool = (b: Record<string, any>, n: string) => b.tools.find((t: any) => t.name === n);
    for (const n of ['exec_command', 'write_stdin']) {
      const [o, t] = [tool(bodies[0]![0]!, n), tool(bodies[1]![0]!, n)];
      expect(Object.keys(o.parameters.properties).sort(), n).toEqual(Object.keys(t.parameters.properties).sort());
      for (const [k, v] of Object.entries(t.parameters.properties as Record<string, any>)) {
        expect(o.parameters.properties[k].type, `${n}.${k}`).toBe(v.type);
        expect(o.parameters.properties[k].enum, `${n}.${k}`).toEqual(v.enum);
      }
      expect(o.parameters.required).toEqual(t.parameters.required);
      expect([o.type, o.strict, o.parameters.additionalProperties]).toEqual([t.type, t.strict, t.parameters.additionalProperties]);
    }
    // We offer only tools we implement; apply_patch and update_plan are 0.169's for models that have them.
    const theirNames = new Set(bodies[1]![0]!.tools.map((t: any) => t.name));
    for (const t of bodies[0]![0]!.tools) if (!['apply_patch', 'update_plan'].includes(t.name)) expect(theirNames.has(t.name), t.name).toBe(true);
    // The same shape of tool output at each step.
    const outs = bodies.map((b) => toolOutputs(b.at(-1)));
    for (const o of outs) {
      expect(o[0]).toMatch(/^Chunk ID: \w+\nWall time: [\d.]+ seconds\nProcess running with session ID \d+\nOriginal token count: \d+\nOutput:\n[\s\S]*first\n$/);
      expect(o[1]).toMatch(/^Chunk ID: \w+\nWall time: [\d.]+ seconds\nProcess exited with code 0\nOriginal token count: \d+\nOutput:\nsecond\n$/);
    }
    const extra = [...kinds[0]!].filter((k) => !kinds[1]!.has(k));
    expect(extra).toEqual([]);
  });
});

describe.skipIf(!ref)(`shell apply_patch vs Codex 0.169${ref ? '' : ` (skipped: ${REFERENCE_MISSING_REASON})`}`, () => {
  it('an apply_patch heredoc run through exec_command gives the same file_change events and file', async () => {
    const runs: ExecRun[] = [];
    for (const [name, bin] of [
      ['ours', undefined],
      ['ref', ref],
    ] as const) {
      const { home, ws } = scratch(`sp-${name}`);
      // The same absolute path for both, so the events compare as they are.
      const at = path.join(path.dirname(path.dirname(ws)), 'sp-shared-ws');
      fs.rmSync(at, { recursive: true, force: true });
      fs.mkdirSync(at);
      mock.push(
        { kind: 'call', name: 'exec_command', args: { cmd: "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: notes/p.txt\n+hello\n*** End Patch\nEOF\n" } },
        { kind: 'message', text: 'Done: patched' },
      );
      const r = await runCodex(['exec', '--json', '--skip-git-repo-check', '-s', 'workspace-write', 'patch through the shell'], { home, cwd: at, bin });
      expect(r.status, r.stderr).toBe(0);
      expect(fs.readFileSync(path.join(at, 'notes', 'p.txt'), 'utf8')).toBe('hello\n');
      runs.push(r);
      fs.rmSync(at, { recursive: true, force: true });
      fs.rmSync(path.dirname(home), { recursive: true, force: true });
    }
    expect(normalize(runs[0]!)).toEqual(normalize(runs[1]!));
    expect(runs[0]!.events.some((e) => e.item?.type === 'file_change')).toBe(true);
  });
});
