import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerConfig, type ConfigTable } from '../config/index.js';
import { resolveSessionPolicy } from './sandbox-glue.js';

describe('resolveSessionPolicy follows the origins of the typed config (0.169 layering)', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-home-'));
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'glue-ws-'));
  const env = { ...process.env, HOME: home };
  const config = (file: ConfigTable, overrides: string[] = []) =>
    layerConfig({ codexHome: home, configPath: path.join(home, 'config.toml'), file, fileExists: true, overrides });

  it('a -c sandbox_mode beats the file default_permissions', () => {
    const file = { default_permissions: 'p', permissions: { p: { filesystem: { ':root': 'read' } } } };
    const r = resolveSessionPolicy(config(file, ['sandbox_mode=workspace-write']), {}, ws, env);
    expect(r.policy.detail.source).toEqual({ kind: 'legacy', mode: 'workspace-write', from: 'config' });
    expect(r.mode).toBe('workspace-write');
  });

  it('relative writable_roots from config.toml resolve against CODEX_HOME, from -c against the cwd', () => {
    const file = { sandbox_mode: 'workspace-write', sandbox_workspace_write: { writable_roots: ['extra'] } };
    const fromFile = resolveSessionPolicy(config(file), {}, ws, env);
    expect(fromFile.policy.detail.legacy).toMatchObject({ writableRoots: [fs.realpathSync(home) + '/extra'] });
    const fromCli = resolveSessionPolicy(config({ sandbox_mode: 'workspace-write' }, ['sandbox_workspace_write.writable_roots=["extra"]']), {}, ws, env);
    expect(fromCli.policy.detail.legacy).toMatchObject({ writableRoots: [fs.realpathSync(ws) + '/extra'] });
  });
});
