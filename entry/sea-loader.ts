// The executable's first code (the SEA main script, built by scripts/code-cache.mjs): picks the
// bundle for the program being started (apply_patch and the sandbox have small ones of their own), compiles it with
// the V8 code cache the build made after running it once (so its functions are not compiled again
// at first call), and runs it. A cache V8 refuses (other V8 flags) only costs a normal compile.
import * as path from 'node:path';
import { getRawAsset } from 'node:sea';
import { Script } from 'node:vm';
import { bundleFor, chooseProgram, type BundleName } from './dispatch.js';

interface CodeCacheLayout {
  head: string;
  tail: string;
  bundles: Record<BundleName, { source: string; cache: string }>;
}
declare const __CODE_CACHE__: CodeCacheLayout;

const layout = __CODE_CACHE__;
const { program, args } = chooseProgram(path.basename(process.argv0 || process.execPath), process.argv.slice(2));
const bundle = layout.bundles[bundleFor(program, args)];
const source = layout.head + Buffer.from(getRawAsset(bundle.source) as ArrayBuffer).toString('utf8') + layout.tail;
const script = new Script(source, { filename: bundle.source, cachedData: Buffer.from(getRawAsset(bundle.cache) as ArrayBuffer) });
// Read by `codex debug startup` (and the build's check).
(globalThis as Record<symbol, unknown>)[Symbol.for('codex-ts.code-cache')] = script.cachedDataRejected ? 'rejected' : 'accepted';
(script.runInThisContext() as (...a: unknown[]) => void)(exports, require, module, __filename, __dirname);
