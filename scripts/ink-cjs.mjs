// esbuild plugin: the SEA bundle is CommonJS, which cannot hold top-level await. Ink 6 has two
// (React devtools and its package.json, both only when DEV=true) and yoga-layout one (its wasm
// instance). The first two are cut; yoga-layout is swapped for a module that instantiates the
// same wasm asynchronously and is awaited by core/ui (yogaReady) before the first render.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const shim = path.join(here, 'yoga-async.mjs');
const lazySegmenter = path.join(here, 'lazy-segmenter.mjs');
const glue = path.join(here, '..', 'node_modules', 'yoga-layout', 'dist', 'binaries', 'yoga-wasm-base64-esm.js');

/** Characters one column wide that never join a neighbour into one cluster (see the string-width cut). */
export const NARROW = '/^[\\u0020-\\u007E\\u00A0-\\u00AC\\u00AE-\\u02FF\\u0370-\\u0482\\u2010-\\u2027\\u2030-\\u205E\\u2190-\\u21FF\\u2500-\\u257F]*$/';

export const inkForCjs = {
  name: 'ink-for-cjs',
  setup(b) {
    // React's production build: no dev-only checks and warnings in the executable.
    b.initialOptions.define = { ...b.initialOptions.define, 'process.env.NODE_ENV': '"production"', 'Intl.Segmenter': 'CodexLazySegmenter' };
    b.initialOptions.inject = [...(b.initialOptions.inject ?? []), lazySegmenter];
    b.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: shim }));
    // The wasm of yoga-layout's glue, as a base64 string module of its own (yoga-async.mjs).
    b.onResolve({ filter: /^codex-yoga-wasm$/ }, () => ({ path: glue, namespace: 'codex-yoga-wasm' }));
    b.onLoad({ filter: /.*/, namespace: 'codex-yoga-wasm' }, () => {
      const m = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/.exec(fs.readFileSync(glue, 'utf8'));
      if (!m) throw new Error('ink-for-cjs: no embedded wasm in yoga-layout\'s glue; update scripts/ink-cjs.mjs');
      return { contents: `export default ${JSON.stringify(m[1])};`, loader: 'js' };
    });
    // The glue itself without its copy of the bytes (instantiateWasm is given, so it never reads them).
    b.onLoad({ filter: /[\\/]yoga-wasm-base64-esm\.js$/ }, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      const stripped = text.replace(/"data:application\/octet-stream;base64,[A-Za-z0-9+/=]+"/, '"data:application/octet-stream;base64,"');
      if (stripped === text) throw new Error('ink-for-cjs: no embedded wasm in yoga-layout\'s glue; update scripts/ink-cjs.mjs');
      return { contents: stripped, loader: 'js' };
    });
    // string-width 8 (Ink's text measuring and truncation) sends any non-ASCII string through
    // Intl.Segmenter and /v emoji regexes: ~150 ms to compile them at the first such line, then
    // ~1 ms a line, for the '›', '·' and '…' of every picker frame. Text of narrow, never-combining
    // characters (Latin, Greek, Cyrillic, punctuation, arrows, box drawing) is as wide as it is
    // long: measured so at once (the same result, checked against the slow path over each of them).
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      const ascii = 'if (/^[\\u0020-\\u007E]*$/.test(string)) {\n\t\treturn string.length;\n\t}';
      if (!text.includes(ascii)) return undefined; // an older string-width (wrap-ansi's): left as it is
      const narrow = `if (ambiguousIsNarrow && ${NARROW}.test(string)) {\n\t\treturn string.length;\n\t}`;
      // Its emoji regex (every RGI emoji sequence: ~30 ms to build) is made at first use too.
      const rgi = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
      if (!text.includes(rgi)) throw new Error(`ink-for-cjs: string-width changed (no ${rgi}); update scripts/ink-cjs.mjs`);
      const lazyRgi = "let rgiEmojiReal;\nconst rgiEmojiRegex = { test: (s) => (rgiEmojiReal ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(s) };";
      return { contents: text.replace(ascii, () => `${ascii}\n\t${narrow}`).replace(rgi, () => lazyRgi), loader: 'js' };
    });
    // Ink's output step splits every line into graphemes with Intl.Segmenter (~4 µs each, ~15 ms
    // a frame); a line of escape sequences and the characters above splits into its UTF-16 units
    // exactly as the segmenter would (each is a grapheme of its own), so it is split so.
    b.onLoad({ filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/ }, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      const loop = 'for (const { segment, index } of segmenter.segment(str)) {';
      if (!text.includes(loop)) throw new Error(`ink-for-cjs: ansi-tokenize changed (no ${loop}); update scripts/ink-cjs.mjs`);
      const units = `const simpleLine = ${NARROW.replace('/^[', '/^[\\u001B\\u0007')};\nfunction graphemesOf(str) {\n  if (!simpleLine.test(str)) return segmenter.segment(str);\n  const out = new Array(str.length);\n  for (let index = 0; index < str.length; index++) out[index] = { segment: str[index], index };\n  return out;\n}\n`;
      return { contents: units + text.replace(loop, () => 'for (const { segment, index } of graphemesOf(str)) {'), loader: 'js' };
    });
    // ...gives each character a copy of its styles (allocation and GC at every frame, ~4000 cells),
    // then diffs each cell's styles with its neighbour's through Sets. Cells in one run of the same
    // style now share one copy (nothing mutates them: Ink itself shares them between cells), the
    // diff of a run's cells with each other is empty at once, and no change joins to "" at once.
    const tokenizeCuts = {
      'ansiCodes.js': [['export function ansiCodesToString(codes) {', 'export function ansiCodesToString(codes) {\n    if (codes.length === 0) return "";']],
      'diff.js': [['export function diffAnsiCodes(from, to) {', 'export function diffAnsiCodes(from, to) {\n    if (from === to) return [];']],
      'styledChars.js': [
        ['let codes = [];\n    const ret = [];', 'let codes = [];\n    let shared;\n    const ret = [];'],
        ['codes = reduceAnsiCodesIncremental(codes, [token]);', 'codes = reduceAnsiCodesIncremental(codes, [token]);\n            shared = undefined;'],
        ['styles: [...codes],', 'styles: (shared ??= [...codes]),'],
      ],
    };
    b.onLoad({ filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/](ansiCodes|diff|styledChars)\.js$/ }, (args) => {
      let text = fs.readFileSync(args.path, 'utf8');
      for (const [from, to] of tokenizeCuts[path.basename(args.path)]) {
        if (!text.includes(from)) throw new Error(`ink-for-cjs: ansi-tokenize changed (no ${JSON.stringify(from)}); update scripts/ink-cjs.mjs`);
        text = text.replace(from, () => to);
      }
      return { contents: text, loader: 'js' };
    });
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
