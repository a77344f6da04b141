#!/usr/bin/env node
// The main-job demo run by `npm start`, on a scratch workspace and a scratch CODEX_HOME.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { root } from './ensure.mjs';

const bin = path.join(root, 'dist', 'codex');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-ts-demo-'));
const env = { ...process.env, CODEX_HOME: path.join(scratch, 'codex-home') };
fs.mkdirSync(env.CODEX_HOME);

function step(title, file, args, opts = {}) {
  process.stdout.write(`\n\x1b[1m$ ${[path.relative(process.cwd(), file) || file, ...args].join(' ')}\x1b[0m   # ${title}\n`);
  const r = spawnSync(file, args, { cwd: scratch, env, stdio: 'inherit', ...opts });
  return r.status;
}

let failed = 0;
failed += step('the one executable', bin, ['--version']) === 0 ? 0 : 1;
failed += step('its embedded native addons (zstd, koffi → Landlock ABI)', bin, ['debug', 'native']) === 0 ? 0 : 1;
fs.rmSync(scratch, { recursive: true, force: true });
process.stdout.write(failed ? `\ndemo: ${failed} step(s) failed\n` : '\ndemo: done\n');
process.exit(failed ? 1 : 0);
