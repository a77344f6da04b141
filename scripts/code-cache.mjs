// Start-up of the single executable. The program bundles travel as SEA assets, each with a V8 code
// cache made AFTER running its programs once (apply_patch; `codex sandbox`; `codex --version`,
// `codex sessions list` and the `codex resume` picker), so the bytecode of every function they call
// is in the cache. Node's own SEA `useCodeCache` compiles
// the main script without running it: only its top level is cached and each function is compiled
// at its first call (about a third of apply_patch's start-up). apply_patch and the sandbox get
// bundles of their own (~80 KB and ~170 KB instead of ~1.5 MB: less to read and deserialize). The SEA main script is
// entry/sea-loader.ts, which picks the bundle and compiles it with its cache.
// A code cache holds compiled code only, never heap state: nothing of the build machine (env,
// paths, time) is captured, unlike a startup snapshot; V8 checks it against its version and flags
// (a mismatch compiles as usual), and the build checks that the executable's V8 takes it.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { build } from 'esbuild';

// Each bundle is compiled as this function (as node's CommonJS loader does); the warm-up and the
// executable must compile the very same text for V8 to accept the cache.
const HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const TAIL = '\n})';

const PATCH = '*** Begin Patch\n*** Update File: file.txt\n@@\n-old\n+new\n*** End Patch\n';

/** The bundles, their entries, and the runs that warm them (argv after the program name). */
const BUNDLES = {
  codex: {
    entry: 'entry/main.ts',
    runs: [
      ['--version'],
      // The store's first page (what `codex resume` is measured against), over the same small store.
      ['sessions', 'list'],
      // The picker over a small store (warmStore), keys typed by the warm-up (RESUME_KEYS): the
      // interactive UI's code (Ink, React, the picker) is then in the cache too.
      ['resume'],
    ],
  },
  // `codex sandbox …` and the helper (entry/dispatch.ts bundleFor); the helper's own runs would
  // replace the warm-up process (it execs bwrap or the command), so only `codex sandbox` warms it.
  sandbox: {
    entry: 'entry/sandbox.ts',
    runs: [
      ['sandbox', '-s', 'read-only', '--', '/bin/true'],
      ['sandbox', '-s', 'workspace-write', '--', '/bin/true'],
    ],
  },
  applyPatch: {
    entry: 'entry/apply-patch.ts',
    runs: [['--codex-run-as-apply-patch', PATCH]],
  },
};

/**
 * The warm-up, run by the node the executable embeds (same V8 version and flags) in a scratch dir
 * as a throwaway user (own CODEX_HOME and cache dir): runs each program once, catching its exit,
 * then writes the bundle's code cache. The bundle sees the executable's `node:sea` (the native
 * addons as embedded assets), so it takes the executable's code paths. A program that fails here
 * (e.g. no bubblewrap on the build machine) still leaves the code it ran warm.
 */
const WARM = `'use strict';
const fs = require('node:fs');
const vm = require('node:vm');
const [bundle, out, ws, assetsJson, runsJson] = process.argv.slice(2);
const assets = JSON.parse(assetsJson);
const sea = {
  isSea: () => true,
  getRawAsset: (name) => { const b = fs.readFileSync(assets[name]); return b.buffer.slice(b.byteOffset, b.byteOffset + b.length); },
};
const seaRequire = (id) => (id === 'node:sea' ? sea : require(id));
const source = ${JSON.stringify(HEAD)} + fs.readFileSync(bundle).toString('utf8') + ${JSON.stringify(TAIL)};
const script = new vm.Script(source, { filename: 'bundle.cjs' });
const fn = script.runInThisContext();
const exit = process.exit.bind(process);
let current;
process.on('uncaughtException', (e) => { process.stderr.write('warm-up: ' + (e && e.message) + '\\n'); if (current) current(1); });
// The picker's keys, pushed into stdin as if typed (Ink reads them once it is loaded): move, search, leave.
const RESUME_KEYS = [[1500, '\\x1b[B'], [1800, 'task'], [3500, '\\x1b']];
(async () => {
  for (const argv of JSON.parse(runsJson)) {
    fs.writeFileSync(ws + '/file.txt', 'old\\n');
    await new Promise((resolve) => {
      const timer = setTimeout(() => { process.stderr.write('warm-up: timed out: ' + argv[0] + '\\n'); resolve(); }, 20000);
      current = () => { clearTimeout(timer); resolve(); };
      process.exit = () => current();
      process.argv = [process.execPath, 'codex', ...argv];
      if (argv[0] === 'resume') for (const [at, keys] of RESUME_KEYS) setTimeout(() => process.stdin.push(keys), at);
      const m = { exports: {} };
      fn(m.exports, seaRequire, m, 'bundle.cjs', ws);
    });
  }
  fs.writeFileSync(out, script.createCachedData());
  exit(0);
})();
`;

/**
 * esbuild turns each `import * as fs from 'node:fs'` into `__toESM(require("node:fs"))`, a fresh
 * copy of the module's ~100 properties as getters, once per importing file (~100 of them on the
 * way to `codex sandbox`: a few ms at every start). A node builtin's namespace is the same for
 * every importer (getters read the module live), so each is made once and shared.
 */
function sharedBuiltinNamespaces(text) {
  const calls = /__toESM\(require\("(node:[a-z_/]+)"\)(,1)?\)/g;
  const n = text.match(calls)?.length ?? 0;
  if (n === 0 || !text.includes('var __toESM=')) throw new Error('esbuild output changed: no __toESM(require("node:…")) to share');
  const helper = 'var __nodeNs=new Map;function __nodeNamespace(id,mod,nodeMode){let k=id+(nodeMode?"|1":""),ns=__nodeNs.get(k);return ns===void 0&&__nodeNs.set(k,ns=__toESM(mod,nodeMode)),ns}';
  const head = text.startsWith('"use strict";') ? '"use strict";'.length : 0;
  return text.slice(0, head) + helper + text.slice(head).replace(calls, (_, id, mode) => `__nodeNamespace(${JSON.stringify(id)},require(${JSON.stringify(id)})${mode ?? ''})`);
}

/**
 * The warm-up runs in a terminal (a pty, 120×30), as the interactive UI needs one: its code (Ink,
 * React, the picker) is then in the cache too, instead of compiled at every `codex resume`.
 * Resolves with the exit status and everything printed.
 */
function inTerminal(file, args, { cwd, env, timeoutMs }) {
  const pty = createRequire(import.meta.url)('@lydell/node-pty');
  return new Promise((resolve) => {
    let output = '';
    const term = pty.spawn(file, args, { name: 'xterm-256color', cols: 120, rows: 30, cwd, env: { ...env, TERM: 'xterm-256color' } });
    const timer = setTimeout(() => {
      term.kill('SIGKILL');
      resolve({ status: null, output, error: 'timed out' });
    }, timeoutMs);
    term.onData((d) => (output += d));
    term.onExit(({ exitCode }) => {
      clearTimeout(timer);
      resolve({ status: exitCode, output });
    });
  });
}

/** A few sessions for the picker's warm-up run to list and search. */
function warmStore(home) {
  const day = path.join(home, 'sessions', '2026', '01', '02');
  fs.mkdirSync(day, { recursive: true });
  for (let n = 0; n < 3; n++) {
    const id = `01a20000-000${n}-7000-8000-00000000000${n}`;
    const at = `2026-01-02T03:04:0${n}.000Z`;
    const lines = [
      { timestamp: at, ordinal: 0, type: 'session_meta', payload: { session_id: id, id, timestamp: at, cwd: '/home/dev/project', originator: 'codex_exec', cli_version: '0.169.0', source: 'exec', model_provider: 'openai' } },
      { timestamp: at, ordinal: 1, type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: `task ${n}: fix the failing test` }] } },
      { timestamp: at, ordinal: 2, type: 'response_item', payload: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `Fixed task ${n}.` }] } },
    ];
    fs.writeFileSync(path.join(day, `rollout-2026-01-02T03-04-0${n}-${id}.jsonl`), lines.map((l) => JSON.stringify(l) + '\n').join(''));
  }
}

/**
 * Builds the bundles (esbuild `options` as for the main bundle), warms each with `node` (the
 * embedded node; `nativeAssets`: SEA asset name → file) in `work`, and bundles the loader.
 * Returns { main, assets } for the SEA config; throws when a cache does not come out.
 */
export async function warmedBundles({ root, options, node, work, nativeAssets, log }) {
  const dir = path.join(work, 'warm');
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(path.join(ws, '.git'), { recursive: true });
  const warm = path.join(dir, 'warm.cjs');
  fs.writeFileSync(warm, WARM);
  const env = { ...process.env, CODEX_HOME: path.join(dir, 'home'), CODEX_TS_CACHE_DIR: path.join(dir, 'cache') };
  for (const k of ['NODE_OPTIONS', 'CODEXTS_NOPT']) delete env[k];
  fs.mkdirSync(env.CODEX_HOME);
  warmStore(env.CODEX_HOME);

  const assets = {};
  const layout = { head: HEAD, tail: TAIL, bundles: {} };
  for (const [name, b] of Object.entries(BUNDLES)) {
    const source = path.join(work, `${name}.cjs`);
    const cache = `${source}.cache`;
    const out = await build({ ...options, entryPoints: [path.join(root, b.entry)], outfile: source, write: false });
    fs.writeFileSync(source, sharedBuiltinNamespaces(out.outputFiles[0].text));
    const r = await inTerminal(node, [warm, source, cache, ws, JSON.stringify(nativeAssets), JSON.stringify(b.runs)], { cwd: ws, env, timeoutMs: 120000 });
    // The programs' own messages (e.g. no bubblewrap here) are not the build's.
    for (const line of r.output.split(/\r?\n/).filter((l) => l.startsWith('warm-up: '))) log(`${name}: ${line}`);
    if (r.status !== 0 || !fs.existsSync(cache)) throw new Error(`the code cache warm-up of ${b.entry} failed (${r.error ?? `exit ${r.status}`})`);
    const kib = (f) => `${(fs.statSync(f).size / 1024).toFixed(0)} KiB`;
    log(`${name}: ${kib(source)} bundle, ${kib(cache)} code cache`);
    assets[`${name}.cjs`] = source;
    assets[`${name}.cjs.cache`] = cache;
    layout.bundles[name] = { source: `${name}.cjs`, cache: `${name}.cjs.cache` };
  }
  const main = path.join(work, 'sea-loader.cjs');
  await build({ ...options, entryPoints: [path.join(root, 'entry/sea-loader.ts')], outfile: main, define: { ...options.define, __CODE_CACHE__: JSON.stringify(layout) } });
  return { main, assets };
}
