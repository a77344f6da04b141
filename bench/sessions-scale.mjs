#!/usr/bin/env node
// bench/sessions-scale: `codex sessions list` (first page) on a generated store of 50 000 sessions
// against a bare `node -e 0` start, measured in the same run. Goal: first page ≤ 2× `node -e 0`.
// Also shown: `codex --version` (our own start-up floor), the --all and --json forms, page 2, and
// `codex sessions storage` (a stat-only walk of every file). The store is generated once into
// .bench-data/sessions-<N>/ (gitignored): 500 days × 100 sessions, 30% archived (half of those
// compressed with zstd -3), realistic heads (a session_meta with ~6 KB of instructions, harness
// context, then the conversation).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { BASELINE_NOTE, CA_SET, CODEX, NO_CA_ENV, ROOT, median, timeRun, seededRandom, writeSection } from './_lib.mjs';

const COUNT = Number(process.env.BENCH_SCALE_COUNT ?? 50_000);
const RUNS = Number(process.env.BENCH_SCALE_RUNS ?? 15);
const PER_DAY = 100;
const GEN_VERSION = 1;
const DATA = path.join(ROOT, '.bench-data', `sessions-${COUNT}`);
const HOME = path.join(DATA, 'home');
const MARKER = path.join(DATA, `.complete-v${GEN_VERSION}`);

const { rand, hex } = seededRandom(0x5ca1ab1e);
const pad = (n) => String(n).padStart(2, '0');
const stampOf = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}`;
function uuid7(ms) {
  const t = ms.toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${hex(3)}-${'89ab'[Math.floor(rand() * 4)]}${hex(3)}-${hex(12)}`;
}
const INSTRUCTIONS = 'You are a coding agent running in the Codex CLI. Follow the repository conventions, run the tests, keep changes small. '.repeat(50);

function rollout(id, created, i) {
  let ord = 0;
  let t = created.getTime();
  const line = (type, payload) => JSON.stringify({ timestamp: new Date((t += 50 + Math.floor(rand() * 2000))).toISOString(), ordinal: ord++, type, payload });
  const cwd = `/home/dev/project-${i % 40}`;
  const ask = `task ${i}: please look at module ${hex(6)} and fix the failing test`;
  const lines = [
    line('session_meta', {
      session_id: id, id, timestamp: created.toISOString(), cwd, originator: 'codex_exec', cli_version: '0.169.0',
      source: rand() < 0.7 ? 'exec' : 'cli', model_provider: rand() < 0.8 ? 'openai' : 'mock', base_instructions: { text: INSTRUCTIONS }, git: {},
    }),
    line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: `<environment_context>\n  <cwd>${cwd}</cwd>\n  <shell>bash</shell>\n</environment_context>` }] }),
    line('turn_context', { turn_id: hex(8), cwd, approval_policy: 'never', model: 'gpt-5' }),
    line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: ask }] }),
    line('event_msg', { type: 'user_message', message: ask }),
    line('response_item', { type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd: 'npm test' }), call_id: `call_${i}` }),
    line('response_item', { type: 'function_call_output', call_id: `call_${i}`, output: `Process exited with code 1\nOutput:\n${'FAIL src/thing.test.ts\n'.repeat(20)}` }),
    line('response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `Fixed the test in module ${i}.` }] }),
    line('event_msg', { type: 'agent_message', message: `Fixed the test in module ${i}.` }),
  ];
  return { text: lines.join('\n') + '\n', mtime: new Date(t) };
}

async function generate() {
  if (fs.existsSync(MARKER)) return false;
  fs.rmSync(DATA, { recursive: true, force: true });
  const require = createRequire(path.join(ROOT, 'package.json'));
  const zstd = require('@mongodb-js/zstd');
  const t0 = Date.now();
  const days = Math.ceil(COUNT / PER_DAY);
  const start = new Date();
  start.setHours(8, 0, 0, 0);
  start.setDate(start.getDate() - days);
  const archivedDir = path.join(HOME, 'archived_sessions');
  fs.mkdirSync(archivedDir, { recursive: true });
  for (let i = 0; i < COUNT; i++) {
    const day = Math.floor(i / PER_DAY);
    const created = new Date(start.getTime() + day * 86_400_000 + (i % PER_DAY) * 300_000 + Math.floor(rand() * 1000));
    const id = uuid7(created.getTime());
    const { text, mtime } = rollout(id, created, i);
    const stamp = stampOf(created);
    const name = `rollout-${stamp}-${id}.jsonl`;
    const r = rand();
    let file;
    if (r < 0.3) {
      file = path.join(archivedDir, name);
      if (r < 0.15) {
        file += '.zst';
        fs.writeFileSync(file, await zstd.compress(Buffer.from(text), 3));
      } else fs.writeFileSync(file, text);
    } else {
      const dir = path.join(HOME, 'sessions', stamp.slice(0, 4), stamp.slice(5, 7), stamp.slice(8, 10));
      fs.mkdirSync(dir, { recursive: true });
      file = path.join(dir, name);
      fs.writeFileSync(file, text);
    }
    fs.utimesSync(file, mtime, mtime);
  }
  fs.writeFileSync(MARKER, `${COUNT}\n`);
  process.stdout.write(`generated ${COUNT} sessions in ${((Date.now() - t0) / 1000).toFixed(1)} s into ${path.relative(ROOT, DATA)}\n`);
  return true;
}

await generate();
const env = { ...process.env, CODEX_HOME: HOME };
const cases = [
  { name: 'node -e 0', file: process.execPath, args: ['-e', '0'], env: { ...NO_CA_ENV, CODEX_HOME: HOME } },
  ...(CA_SET ? [{ name: 'node -e 0 (NODE_EXTRA_CA_CERTS as set here)', file: process.execPath, args: ['-e', '0'] }] : []),
  { name: 'codex --version', file: CODEX, args: ['--version'] },
  { name: 'codex sessions list (first page)', file: CODEX, args: ['sessions', 'list'] },
  { name: 'codex sessions list --json', file: CODEX, args: ['sessions', 'list', '--json'] },
  { name: 'codex sessions list --all', file: CODEX, args: ['sessions', 'list', '--all'] },
  { name: 'codex sessions storage', file: CODEX, args: ['sessions', 'storage'] },
  // The peer of `storage`: one stat per file of the same trees, in C.
  { name: 'du -sb sessions archived_sessions', file: 'du', args: ['-sb', path.join(HOME, 'sessions'), path.join(HOME, 'archived_sessions')] },
];
// Page 2 needs the cursor of page 1.
const first = (await import('node:child_process')).spawnSync(CODEX, ['sessions', 'list', '--json'], { env, encoding: 'utf8' });
const cursorLine = first.stdout.trim().split('\n').pop();
const cursor = cursorLine && JSON.parse(cursorLine).next_cursor;
if (cursor) cases.splice(3, 0, { name: 'codex sessions list (page 2)', file: CODEX, args: ['sessions', 'list', '--cursor', cursor] });

const times = new Map(cases.map((c) => [c.name, []]));
for (let i = -1; i < RUNS; i++) {
  for (const c of cases) {
    const ms = timeRun(c.file, c.args, { env: c.env ?? env });
    if (i >= 0) times.get(c.name).push(ms);
  }
}
const base = median(times.get('node -e 0'));
const rows = cases.map((c) => {
  const m = median(times.get(c.name));
  return `| ${c.name} | ${m.toFixed(1)} | ${(m / base).toFixed(2)}× |`;
});
const page = median(times.get('codex sessions list (first page)'));
const verdict = page <= 2 * base ? 'PASS' : 'FAIL';
const storage = median(times.get('codex sessions storage'));
const du = median(times.get('du -sb sessions archived_sessions'));
const load = (await import('node:os')).loadavg()[0].toFixed(1);
const body = [
  `Store: ${COUNT} generated sessions (${PER_DAY}/day over ${Math.ceil(COUNT / PER_DAY)} days, 30% archived, half of those zstd -3), in \`.bench-data/sessions-${COUNT}/\`.`,
  `Median of ${RUNS} runs each, interleaved, after one warm-up round (page cache warm); 1-min load average at the end: ${load} (shared machine).${BASELINE_NOTE ? ' ' + BASELINE_NOTE : ''}`,
  '',
  '| command | median ms | vs `node -e 0` |',
  '|---|---:|---:|',
  ...rows,
  '',
  `Goal: first page ≤ 2× \`node -e 0\` → ${(page / base).toFixed(2)}× — **${verdict}**. \`storage\` vs \`du -sb\` over the same trees: ${(storage / du).toFixed(2)}×.`,
  '',
  'Where the time goes: the default (active) first page reads only the newest day folders and 25 heads, so it',
  'costs little more than `codex --version`. `--all` must read the whole flat `archived_sessions/` folder',
  `(${Math.round(COUNT * 0.3)} names) to order it: readdir + name parsing + sort is most of its extra time. \`storage\` stats every`,
  'file of the store (one `stat` per file, no reads) plus an in-memory zstd pass over an 8-file sample.',
].join('\n');
process.stdout.write(body + '\n');
writeSection('sessions-scale', body);
