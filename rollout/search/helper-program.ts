// Where the helper thread's program comes from. Inside the executable: the bundle the build made
// of helper-thread.ts (scripts/build.mjs embeds it as an asset; a worker cannot start from a file
// that does not exist on disk, so its text is run with `eval`). In a checkout (tests, dev runs),
// the same module bundled by esbuild, once per process.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { embeddedProgram } from '../../native/index.js';

/** The asset name scripts/build.mjs gives the helper's bundle. */
export const HELPER_ASSET = 'search-helper.cjs';

let source: string | undefined;

/** The helper's program, as CommonJS text for `new Worker(text, { eval: true })`. */
export function helperProgram(): string {
  source ??= embeddedProgram(HELPER_ASSET) ?? bundledHere();
  return source;
}

function bundledHere(): string {
  // A dev dependency, present in a checkout only: resolved at run time, never bundled.
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const out = esbuild.buildSync({
    entryPoints: [fileURLToPath(new URL('./helper-thread.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    logLevel: 'warning',
    logOverride: { 'empty-import-meta': 'silent' },
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error('esbuild produced no helper bundle');
  return file.text;
}
