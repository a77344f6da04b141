import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSessionPolicy } from './sandbox-glue.js';

describe('resolveSessionPolicy passes the config file layer (0.169 layering)', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-home-'));
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-ws-'));
  const env = { ...process.env, HOME: home };

  it('a -c sandbox_mode beats the file default_permissions', () => {
    const file = { default_permissions: 'p', permissions: { p: { filesystem: { ':root': 'read' } } } };
    const r = resolveSessionPolicy({ raw: { ...file, sandbox_mode: 'workspace-write' }, file, codexHome: home }, {}, ws, env);
    expect(r.policy.detail.source).toEqual({ kind: 'legacy', mode: 'workspace-write', from: 'config' });
    expect(r.mode).toBe('workspace-write');
  });

  it('relative writable_roots from config.toml resolve against CODEX_HOME, from -c against the cwd', () => {
    const file = { sandbox_mode: 'workspace-write', sandbox_workspace_write: { writable_roots: ['extra'] } };
    const fromFile = resolveSessionPolicy({ raw: file, file, codexHome: home }, {}, ws, env);
    expect(fromFile.policy.detail.legacy).toMatchObject({ writableRoots: [fs.realpathSync(home) + '/extra'] });
    const fromCli = resolveSessionPolicy({ raw: file, file: { sandbox_mode: 'workspace-write' }, codexHome: home }, {}, ws, env);
    expect(fromCli.policy.detail.legacy).toMatchObject({ writableRoots: [fs.realpathSync(ws) + '/extra'] });
  });
});
