// buildSession: the one assembly of a Session from the typed config (exec and the UI both use it).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterAll, describe, expect, it } from 'vitest';
import { layerConfig } from '../config/index.js';
import { resolveProvider } from '../model/index.js';
import { resolveSessionPolicy } from './sandbox-glue.js';
import { buildSession, type ThreadStart } from './session.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'build-session-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('buildSession', () => {
  it('takes model, reasoning, window, AGENTS.md limit and policy from the typed config', () => {
    const home = path.join(root, 'home');
    const ws = path.join(root, 'ws');
    fs.mkdirSync(home, { recursive: true });
    fs.mkdirSync(ws, { recursive: true });
    fs.writeFileSync(path.join(ws, 'AGENTS.md'), 'x'.repeat(100)); // the project part is capped by project_doc_max_bytes
    const text = 'model = "m1"\nmodel_reasoning_effort = "low"\nmodel_context_window = 1000\nproject_doc_max_bytes = 10\nsandbox_mode = "workspace-write"\n';
    const cfg = layerConfig({ codexHome: home, configPath: path.join(home, 'config.toml'), file: parseToml(text), text, fileExists: true, model: 'm2' });
    const { policy, mode } = resolveSessionPolicy(cfg, {}, ws, { ...process.env, HOME: root });
    const provider = resolveProvider(cfg.provider, {});
    const thread: ThreadStart = { threadId: 't', writer: {} as ThreadStart['writer'], history: [], baseInstructions: 'B', hasContext: false };
    const s = buildSession({ config: cfg, provider, policy, sandboxMode: mode, approvalPolicy: 'never' }, thread);
    expect(s).toMatchObject({ threadId: 't', model: 'm2', sandboxMode: 'workspace-write', cwd: fs.realpathSync(ws), contextWindow: 950, reasoning: { effort: 'low', summary: 'auto' }, baseInstructions: 'B' });
    expect(s.apiKey).toBeUndefined();
    expect(s.agents?.includes('x'.repeat(10))).toBe(true);
    expect(s.agents?.includes('x'.repeat(11))).toBe(false);
    // two sessions of one run do not share mutable state
    const t2 = buildSession({ config: cfg, provider, policy, sandboxMode: mode, approvalPolicy: 'never' }, { ...thread, history: [] });
    t2.reasoning.effort = 'high';
    expect(s.reasoning.effort).toBe('low');
    expect(t2.totals).not.toBe(s.totals);
  });
});
