#!/usr/bin/env node
// The main-job demo run by `npm start`, on a scratch workspace and a scratch CODEX_HOME:
// a real `codex exec` session against the scripted loopback Responses server (test/mock), started on
// a free 127.0.0.1 port and stopped afterwards.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { root } from './ensure.mjs';

const bin = path.join(root, 'dist', 'codex');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-ts-demo-'));
const ws = path.join(scratch, 'workspace');
const home = path.join(scratch, 'codex-home');
fs.mkdirSync(ws);
fs.mkdirSync(home);
const env = { ...process.env, CODEX_HOME: home, DEMO_API_KEY: 'demo-key' };
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

let failed = 0;
/** Run one step, showing its output. */
function step(title, file, args, opts = {}) {
  const shown = [file === bin ? 'codex' : path.basename(file), ...args.map((a) => (/[\s'"*]/.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a))].join(' ');
  process.stdout.write(`\n${bold(`$ ${shown}`)}   # ${title}\n`);
  const r = spawnSync(file, args, { cwd: ws, env, encoding: 'utf8', timeout: 60_000, ...opts });
  // stderr (diagnostics, the exec transcript) first, then stdout (the result).
  if (r.stderr) process.stdout.write(r.stderr.replace(/\n$/, '').replace(/^/gm, '  │ ') + '\n');
  if (r.stdout) process.stdout.write(r.stdout);
  const ok = opts.expectFail ? r.status !== 0 : r.status === 0;
  if (!ok) {
    failed++;
    process.stdout.write(`(unexpected exit status ${r.status})\n`);
  }
  return r;
}

async function startMock(plan) {
  const bundle = path.join(root, '.build-tmp', 'mock-server.mjs');
  fs.mkdirSync(path.dirname(bundle), { recursive: true });
  await build({ entryPoints: [path.join(root, 'test/mock/run.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  const planFile = path.join(scratch, 'mock-plan.json');
  fs.writeFileSync(planFile, JSON.stringify(plan));
  const child = spawn(process.execPath, [bundle, '--plan', planFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('exit', (c) => reject(new Error(`mock server exited (${c})`)));
  });
  return { child, ...JSON.parse(first) };
}

const PATCH = `*** Begin Patch
*** Update File: hello.txt
@@
-hello from the sandbox
+hello from the sandbox, edited by apply_patch
*** Add File: NOTES.md
+# Notes
+Written by the demo's apply_patch call.
*** End Patch
`;
const outside = path.join(os.homedir(), `codex-ts-demo-escape-${process.pid}.txt`);
// What the scripted "model" does, step by step within the turn.
const plan = [
  { kind: 'call', name: 'update_plan', args: { plan: [{ step: 'write hello.txt', status: 'in_progress' }, { step: 'edit it with apply_patch', status: 'pending' }] } },
  { kind: 'call', name: 'exec_command', args: { cmd: 'echo "hello from the sandbox" > hello.txt && cat hello.txt' }, text: 'Writing a file in the workspace first.' },
  { kind: 'call', name: 'exec_command', args: { cmd: `echo escape > ${outside}` }, text: 'Now trying to write outside the workspace (the sandbox should refuse).' },
  { kind: 'call', name: 'apply_patch', args: { input: PATCH } },
  { kind: 'message', text: 'Done: hello.txt was written inside the sandbox, the write outside it was refused, and apply_patch edited hello.txt and added NOTES.md.' },
];

// A resumed session gets its own short script: it sees the earlier turn in its history.
const resumePlan = [
  { kind: 'call', name: 'exec_command', args: { cmd: 'cat hello.txt NOTES.md' }, text: 'Picking up where the last turn ended.' },
  { kind: 'message', text: 'Resumed: both files are still there, as the history says.' },
];
const mock = await startMock({ byPrompt: [{ match: 'One more thing', steps: resumePlan }], steps: plan });
try {
  fs.writeFileSync(
    path.join(home, 'config.toml'),
    `model = "mock-model"\nmodel_provider = "demo"\n\n[model_providers.demo]\nname = "scripted loopback Responses server"\nbase_url = "${mock.url}"\nwire_api = "responses"\nenv_key = "DEMO_API_KEY"\n`,
  );
  process.stdout.write(`${bold('demo')}: scratch workspace ${ws}\n      scratch CODEX_HOME ${home}\n      scripted Responses server at ${mock.url} (pid ${mock.child.pid})\n`);

  step('the one executable', bin, ['--version']);
  step('its embedded native addons (zstd, koffi → Landlock ABI)', bin, ['debug', 'native']);
  step(
    'an agent turn: sandboxed commands, a refused write, an apply_patch edit (transcript on stderr, final message on stdout)',
    bin,
    ['exec', '-s', 'workspace-write', '--skip-git-repo-check', 'Create hello.txt, then improve it.'],
  );
  if (fs.existsSync(outside)) {
    failed++;
    process.stdout.write(`(the sandbox let ${outside} be written!)\n`);
    fs.rmSync(outside, { force: true });
  }
  step('what the session left in the workspace', '/bin/sh', ['-c', 'for f in *; do echo "== $f"; cat "$f"; done']);
  step('the same kind of turn as JSONL events', bin, ['exec', '--json', '-s', 'workspace-write', '--skip-git-repo-check', 'Again, as JSON events.']);
  step('the recorded sessions (rollouts in $CODEX_HOME/sessions)', bin, ['sessions', 'list']);
  const last = spawnSync('/bin/sh', ['-c', `ls ${home}/sessions/*/*/*/*.jsonl | head -1`], { encoding: 'utf8' }).stdout.trim();
  if (last) step('the first lines of the first rollout', '/bin/sh', ['-c', `head -c 600 '${last}'; echo ' …'`]);
  step('resume the last session with a new prompt', bin, ['exec', 'resume', '--last', '-s', 'workspace-write', '--skip-git-repo-check', 'One more thing.']);
  step('apply_patch directly (same executable, invoked as apply_patch)', path.join(root, 'dist', 'apply_patch'), ['*** Begin Patch\n*** Add File: direct.txt\n+added directly\n*** End Patch\n']);
  step('codex sandbox directly: writing outside the workspace is denied', bin, ['sandbox', '-s', 'workspace-write', '--', '/bin/sh', '-c', `echo x > ${outside}`], { expectFail: true });
} finally {
  mock.child.kill('SIGTERM');
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.rmSync(outside, { force: true });
}
process.stdout.write(`\nscripted Responses server stopped; scratch dirs removed\n`);
process.stdout.write(failed ? `\ndemo: ${failed} step(s) failed\n` : '\ndemo: done\n');
process.exit(failed ? 1 : 0);
