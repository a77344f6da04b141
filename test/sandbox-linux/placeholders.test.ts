// A placeholder (empty read-only dir bound over a missing `.codex`) is shared by every sandbox in a
// folder, across processes: the last user removes it, and no user removes it under another.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODEX_BIN, codex, tempDir } from '../helpers/bin.js';

function start(cwd: string, script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(CODEX_BIN, ['sandbox', '-s', 'workspace-write', '--', 'sh', '-c', script], { cwd, env });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('close', (code) => resolve({ code, out }));
  });
}

describe('placeholders of missing protected paths', () => {
  const env = { ...process.env, CODEX_HOME: tempDir('codex-home-ph-'), CODEX_TS_CACHE_DIR: tempDir('codex-cache-ph-') };

  it('codex sandbox leaves no .codex behind in the user folder', () => {
    const ws = fs.realpathSync(tempDir('codex-ws-ph-'));
    const r = codex(['sandbox', '-s', 'workspace-write', '--', 'sh', '-c', 'mkdir .codex/x 2>/dev/null && echo created || echo protected'], { cwd: ws, env });
    expect(r.stdout).toBe('protected\n');
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(ws, '.codex'))).toBe(false);
  });

  it('a sandbox ending in another process never removes the placeholder under a running one', async () => {
    const ws = fs.realpathSync(tempDir('codex-ws-ph-'));
    const marker = path.join(ws, 'started');
    const long = start(ws, `: > started; while [ ! -e done ]; do sleep 0.05; done; mkdir .codex/x 2>/dev/null && echo created || echo protected`, env);
    for (let i = 0; i < 200 && !fs.existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
    expect(fs.existsSync(marker)).toBe(true);
    const short = await start(ws, 'true', env);
    expect(short.code).toBe(0);
    expect(fs.existsSync(path.join(ws, '.codex'))).toBe(true); // still in use by the long one
    fs.writeFileSync(path.join(ws, 'done'), '');
    const r = await long;
    expect(r.out).toBe('protected\n');
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(ws, '.codex'))).toBe(false); // the last user removed it
  });
});
