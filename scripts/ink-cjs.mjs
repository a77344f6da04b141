// esbuild plugin: the SEA bundle is CommonJS, which cannot hold top-level await. Ink 6 has two
// (React devtools and its package.json, both only when DEV=true) and yoga-layout one (its wasm
// instance). The first two are cut; yoga-layout is swapped for a module that instantiates the
// same wasm asynchronously and is awaited by core/ui (yogaReady) before the first render.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const shim = path.join(path.dirname(fileURLToPath(import.meta.url)), 'yoga-async.mjs');

export const inkForCjs = {
  name: 'ink-for-cjs',
  setup(b) {
    // React's production build: no dev-only checks and warnings in the executable.
    b.initialOptions.define = { ...b.initialOptions.define, 'process.env.NODE_ENV': '"production"' };
    b.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: shim }));
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, (args) => {
      let text = fs.readFileSync(args.path, 'utf8');
      const cuts = [
        ["await import('./devtools.js');", "throw Object.assign(new Error('no devtools in this build'), { code: 'NO_DEVTOOLS' });"],
        ['? await loadPackageJson()', '? { name: undefined, version: undefined }'],
      ];
      for (const [from, to] of cuts) {
        if (!text.includes(from)) throw new Error(`ink-for-cjs: ink's reconciler changed (no ${JSON.stringify(from)}); update scripts/ink-cjs.mjs`);
        text = text.replace(from, to);
      }
      return { contents: text, loader: 'js' };
    });
  },
};
