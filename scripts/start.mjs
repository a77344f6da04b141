#!/usr/bin/env node
// `npm start`: install and build whatever is missing, then run the main-job demo.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ensureBuild, ensureDeps, root } from './ensure.mjs';

ensureDeps();
ensureBuild();
const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'demo.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
