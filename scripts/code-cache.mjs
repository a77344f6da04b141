// Start-up of the single executable: the bundle travels as a SEA asset with a V8 code cache made
// AFTER running the short programs once (apply_patch, `codex sandbox`, `codex --version`), so the
// bytecode of every function they call is in the cache. Node's own SEA `useCodeCache` compiles
// the main script without running it: only its top level is cached and each function is compiled
// at first call (about a third of apply_patch's start-up). A code cache holds compiled code only,
// never heap state: nothing of the build machine (env, paths, time) is captured, unlike a startup
// snapshot, and V8 checks it against its version and flags (a mismatch compiles as usual).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Asset names inside the executable. */
export const BUNDLE_ASSET = 'codex.cjs';
export const CACHE_ASSET = 'codex.cjs.cache';

// The bundle is compiled as this function (as node's CommonJS loader does); the warm-up and the
// executable must compile the very same text for V8 to accept the cache.
const HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const TAIL = '\n})';

/** The SEA's main script: compile the bundle with the embedded cache and run it. */
export function loaderSource() {
  return `'use strict';
// codex-ts: see scripts/code-cache.mjs. Runs the embedded bundle with its warmed V8 code cache.
const sea = require('node:sea');
const vm = require('node:vm');
const source = ${JSON.stringify(HEAD)} + Buffer.from(sea.getRawAsset(${JSON.stringify(BUNDLE_ASSET)})).toString('utf8') + ${JSON.stringify(TAIL)};
const script = new vm.Script(source, { filename: ${JSON.stringify(BUNDLE_ASSET)}, cachedData: Buffer.from(sea.getRawAsset(${JSON.stringify(CACHE_ASSET)})) });
globalThis[Symbol.for('codex-ts.code-cache')] = script.cachedDataRejected ? 'rejected' : 'accepted';
script.runInThisContext()(exports, require, module, __filename, __dirname);
`;
}

/**
 * The warm-up, run by the node the executable embeds (same V8 version and flags): runs each
 * program once in a scratch dir as a throwaway user (own CODEX_HOME and cache dir), catching its
 * exit, then writes the script's code cache. A program that fails here (e.g. no bubblewrap on the
 * build machine) still leaves the code it ran warm.
 */
function warmSource() {
  return `'use strict';
const fs = require('node:fs');
const vm = require('node:vm');
const [bundle, out, ws, assetsJson] = process.argv.slice(2);
// The bundle sees the executable's node:sea (its native addons as embedded assets), so the warm-up
// runs the code paths the executable runs.
const assets = JSON.parse(assetsJson);
const sea = {
  isSea: () => true,
  getRawAsset: (name) => { const b = fs.readFileSync(assets[name]); return b.buffer.slice(b.byteOffset, b.byteOffset + b.length); },
};
const seaRequire = (id) => (id === 'node:sea' ? sea : require(id));
const source = ${JSON.stringify(HEAD)} + fs.readFileSync(bundle).toString('utf8') + ${JSON.stringify(TAIL)};
const script = new vm.Script(source, { filename: ${JSON.stringify(BUNDLE_ASSET)} });
const fn = script.runInThisContext();
const exit = process.exit.bind(process);
const patch = '*** Begin Patch\\n*** Update File: file.txt\\n@@\\n-old\\n+new\\n*** End Patch\\n';
const runs = [
  ['--codex-run-as-apply-patch', patch],
  ['sandbox', '-s', 'read-only', '--', '/bin/true'],
  ['sandbox', '-s', 'workspace-write', '--', '/bin/true'],
  ['--version'],
];
let current;
process.on('uncaughtException', (e) => { process.stderr.write('warm-up: ' + (e && e.message) + '\\n'); current && current(1); });
(async () => {
  for (const argv of runs) {
    fs.writeFileSync(ws + '/file.txt', 'old\\n');
    await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(1), 20000);
      current = (code) => { clearTimeout(timer); resolve(code); };
      process.exit = (code) => current(code);
      process.argv = [process.execPath, 'codex', ...argv];
      const m = { exports: {} };
      fn(m.exports, seaRequire, m, ${JSON.stringify(BUNDLE_ASSET)}, ws);
    });
  }
  fs.writeFileSync(out, script.createCachedData());
  exit(0);
})();
`;
}

/**
 * Makes the warmed code cache of `bundle` with `node` (the embedded node) in `work`, the native
 * addons given as SEA asset name → file; returns { main, assets } for the SEA config. Throws when
 * no cache comes out.
 */
export function warmCodeCache(bundle, node, work, nativeAssets, log) {
  const dir = path.join(work, 'warm');
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(path.join(ws, '.git'), { recursive: true });
  const script = path.join(dir, 'warm.cjs');
  fs.writeFileSync(script, warmSource());
  const cache = path.join(work, CACHE_ASSET);
  const env = { ...process.env, CODEX_HOME: path.join(dir, 'home'), CODEX_TS_CACHE_DIR: path.join(dir, 'cache') };
  for (const k of ['NODE_OPTIONS', 'CODEXTS_NOPT']) delete env[k];
  fs.mkdirSync(env.CODEX_HOME);
  const r = spawnSync(node, [script, bundle, cache, ws, JSON.stringify(nativeAssets)], { cwd: ws, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 120000 });
  // The programs' own messages (e.g. no bubblewrap on the build machine) are not the build's.
  for (const line of (r.stderr ?? '').split('\n').filter((l) => l.startsWith('warm-up: '))) log(`code cache ${line}`);
  if (r.status !== 0 || !fs.existsSync(cache)) throw new Error(`the code cache warm-up failed (${r.error?.message ?? `exit ${r.status}`})`);
  const main = path.join(work, 'sea-main.cjs');
  fs.writeFileSync(main, loaderSource());
  log(`code cache: ${(fs.statSync(cache).size / 1024).toFixed(0)} KiB for a ${(fs.statSync(bundle).size / 1024).toFixed(0)} KiB bundle`);
  return { main, assets: { [BUNDLE_ASSET]: bundle, [CACHE_ASSET]: cache } };
}
