#!/usr/bin/env node
// `npm run bench [name…]`: build if needed, then run bench/<name>.mjs (all of them by default).
// Each benchmark prints its side-by-side ratios and updates its own section of bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureBuild, ensureDeps, root } from './ensure.mjs';

ensureDeps();
ensureBuild();
const dir = path.join(root, 'bench');
const all = fs.readdirSync(dir).filter((f) => f.endsWith('.mjs') && !f.startsWith('_')).map((f) => f.slice(0, -4)).sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  process.stderr.write(`bench: unknown benchmark(s) ${unknown.join(', ')}; have: ${all.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length ? wanted : all) {
  process.stdout.write(`\n== bench/${name} ==\n`);
  const r = spawnSync(process.execPath, [path.join(dir, `${name}.mjs`)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
