#!/usr/bin/env node
// Build: esbuild bundle → Node SEA (via @yao-pkg/pkg's programmatic SEA API, local Node, offline)
// → dist/codex, with symlinks for the other two programs. Fails loudly if the output is not a working SEA.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleBwrap } from './bundle-bwrap.mjs';
import { warmedBundles } from './code-cache.mjs';
import { inkForCjs } from './ink-cjs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const dist = path.join(root, 'dist');
const work = path.join(root, '.build-tmp', `${process.pid}`);
const log = (m) => process.stderr.write(`build: ${m}\n`);

function fail(msg) {
  process.stderr.write(`build: FAILED: ${msg}\n`);
  process.exit(1);
}

const NATIVE = {
  zstd: require.resolve('@mongodb-js/zstd-linux-x64-gnu/zstd.linux-x64-gnu.node'),
  koffi: require.resolve('@koromix/koffi-linux-x64/linux_x64/koffi.node'),
  pty: require.resolve('@lydell/node-pty-linux-x64/pty.node'),
  sqlite: require.resolve('better-sqlite3/build/Release/better_sqlite3.node'),
};

/** Asset name → entry of each worker program (the asset name is the one its loader asks for: rollout/search/helper-program.ts). */
const PROGRAMS = {
  'search-helper.cjs': 'rollout/search/helper-thread.ts',
};

async function main() {
  // The programs load node builtins on first use with process.getBuiltinModule (node 20.16+).
  if (typeof process.getBuiltinModule !== 'function') fail(`node ${process.version} is too old to embed: 20.16 or later is needed`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  fs.mkdirSync(dist, { recursive: true });

  const assets = {};
  const seaAssets = {};
  for (const [name, file] of Object.entries(NATIVE)) {
    const bytes = fs.readFileSync(file);
    assets[name] = { hash: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
    seaAssets[name] = file;
  }

  const foldScanWasm = await assembledFoldScan(work);
  // esbuild options of the program bundles (scripts/code-cache.mjs builds them).
  const options = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    logLevel: 'warning',
    logOverride: { 'empty-import-meta': 'silent' },
    plugins: [inkForCjs],
    define: {
      __CODEX_VERSION__: JSON.stringify(pkg.version),
      __NATIVE_ASSETS__: JSON.stringify(assets),
      __FOLD_SCAN_WASM__: JSON.stringify(foldScanWasm),
    },
  };

  const node = nodeWithRenamedEnvLookups();
  log('bundling entry/main.ts, entry/sandbox.ts and entry/apply-patch.ts, warming their code caches');
  const startup = await warmedBundles({ root, options, node, work, nativeAssets: seaAssets, log });

  // Programs of their own that run beside the main one (worker threads), each an SEA asset.
  const programs = {};
  for (const [name, entry] of Object.entries(PROGRAMS)) {
    programs[name] = path.join(work, name);
    await build({ ...options, entryPoints: [path.join(root, entry)], outfile: programs[name] });
  }

  log('making the single executable (SEA)');
  const out = path.join(work, 'codex');
  process.env.TMPDIR = work; // pkg runs `npx postject` from a temp dir: keep it inside the repo
  const sea = require('@yao-pkg/pkg/lib-es5/sea').default;
  await sea(startup.main, {
    targets: [{ nodeRange: 'node20', platform: 'linux', arch: 'x64', output: out }],
    nodePath: node,
    seaConfig: { assets: { ...seaAssets, ...startup.assets, ...programs }, useCodeCache: false, disableExperimentalSEAWarning: true },
  });
  if (!fs.existsSync(out)) fail('the SEA step produced no executable');
  fs.chmodSync(out, 0o755);

  // pkg swallows bake errors: prove the output is our program, not a bare node.
  // The renamed env lookups are checked too: node would refuse the bad flag, and warn about the
  // unreadable CA bundle on stderr.
  const probe = spawnSync(out, ['--version'], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '--no-such-node-flag', NODE_EXTRA_CA_CERTS: path.join(work, 'no-such-bundle.pem') },
    timeout: 30000,
  });
  if (probe.error || probe.status !== 0) fail(`the built executable does not run: ${probe.error?.message ?? probe.stderr.trim()}`);
  const version = probe.stdout.trim();
  if (!version.startsWith(`codex-ts ${pkg.version}`)) fail(`the built executable is not a working SEA (--version said: ${JSON.stringify(version)})`);
  if (probe.stderr !== '') fail(`the built executable still reads a renamed env variable at start: ${probe.stderr.trim()}`);
  checkCodeCache(out);

  const final = path.join(dist, 'codex');
  fs.renameSync(out, final);
  for (const link of ['codex-linux-sandbox', 'apply_patch', 'applypatch']) {
    const p = path.join(dist, link);
    const tmp = `${p}.${process.pid}.tmp`;
    fs.rmSync(tmp, { force: true });
    fs.symlinkSync('codex', tmp);
    fs.renameSync(tmp, p); // atomic: a concurrent test never sees the link missing
  }
  bundleBwrap(path.join(dist, 'codex-resources'), work);
  fs.rmSync(work, { recursive: true, force: true });
  log(`ok: ${path.relative(root, final)} (${version})`);
}

/**
 * A copy of the local node with two start-up env lookups renamed in place (each key is a
 * NUL-delimited C string, exactly one in the binary), so they stay in the environment for the
 * user's own commands but never reach our three programs:
 * - NODE_OPTIONS: a user's `--require` or a bad flag cannot change or break them;
 * - NODE_EXTRA_CA_CERTS: node would parse that bundle at every start (~35 ms for a full system
 *   bundle, before any of our code runs, even for apply_patch); core/model/ca-bundle.ts adds those
 *   certificates itself, only when an HTTPS request is made.
 */
function nodeWithRenamedEnvLookups() {
  const bytes = fs.readFileSync(process.execPath);
  const rename = (from, to) => {
    if (from.length !== to.length) fail(`internal: ${to} must have the length of ${from}`);
    const key = Buffer.from(`\0${from}\0`);
    // The C string sits in a table of C strings (the text of the one before ends just before its
    // NUL); the V8 snapshot holds the same text behind a binary length prefix, left as it is.
    const hits = [];
    for (let at = bytes.indexOf(key); at !== -1; at = bytes.indexOf(key, at + 1)) {
      const before = bytes[at - 1];
      if ((before >= 0x20 && before < 0x7f) || before === 0x0a) hits.push(at);
    }
    if (hits.length !== 1) fail(`expected one ${from} lookup in the local node binary, found ${hits.length}`);
    Buffer.from(`\0${to}\0`).copy(bytes, hits[0]);
  };
  rename('NODE_OPTIONS', 'CODEXTS_NOPT');
  rename('NODE_EXTRA_CA_CERTS', 'CODEXTS_NODE_XCERTS');
  const patched = path.join(work, 'node');
  fs.writeFileSync(patched, bytes, { mode: 0o755 });
  return patched;
}

/** The warmed code cache must be the one V8 uses (else every start compiles the bundle again). */
function checkCodeCache(exe) {
  const r = spawnSync(exe, ['debug', 'startup'], { encoding: 'utf8', timeout: 30000 });
  let state;
  try {
    state = JSON.parse(r.stdout).code_cache;
  } catch {
    fail(`\`codex debug startup\` did not answer: ${r.stderr.trim()}`);
  }
  if (state !== 'accepted') fail(`V8 did not accept the embedded code cache (${state})`);
}

/**
 * The search scanner's WebAssembly module (rollout/search/fold-scan.ts assembles it), as base64: the
 * executable carries the bytes instead of assembling them at every search (~4 ms of cold code).
 */
async function assembledFoldScan(work) {
  const out = path.join(work, 'fold-scan.mjs');
  await build({ entryPoints: [path.join(root, 'rollout/search/fold-scan.ts')], outfile: out, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  const { assembleModule } = await import(pathToFileURL(out).href);
  return Buffer.from(assembleModule()).toString('base64');
}

main().catch((e) => fail(e?.stack ?? String(e)));
