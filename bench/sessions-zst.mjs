#!/usr/bin/env node
// bench/sessions-zst: `codex sessions list --archived` on a store whose archived sessions are all
// `.jsonl.zst`, so every head of the page is a streamed zstd decode. The store is generated once
// into .bench-data/sessions-zst-<N>/ (gitignored): 600 archived rollouts with 0.169-sized heads (~30 KB
// of instructions before the first user message), a fifth of them long (0.5–4 MiB of conversation
// after the head), compressed at level 3. BENCH_ZST_BEFORE=path/to/an/older/codex runs that build in
// the same rounds (before/after side by side); the addon fallback (CODEX_TS_SYSTEM_ZSTD=0, a machine
// without libzstd.so.1) is shown for what it costs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { BASELINE_NOTE, CODEX, NO_CA_ENV, ROOT, median, timeRun, seededRandom, writeSection } from './_lib.mjs';

const COUNT = Number(process.env.BENCH_ZST_COUNT ?? 600);
const RUNS = Number(process.env.BENCH_ZST_RUNS ?? 11);
const BEFORE = process.env.BENCH_ZST_BEFORE ? path.resolve(process.env.BENCH_ZST_BEFORE) : undefined;
const GEN_VERSION = 1;
const DATA = path.join(ROOT, '.bench-data', `sessions-zst-${COUNT}`);
const HOME = path.join(DATA, 'home');
const MARKER = path.join(DATA, `.complete-v${GEN_VERSION}`);

const { rand, hex } = seededRandom(0x2ec0de);
const word = () => Math.floor(rand() * 2 ** 40).toString(36);
const pad = (n) => String(n).padStart(2, '0');
const stampOf = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}`;
const INSTRUCTIONS = 'You are a coding agent running in the Codex CLI. Follow the repository conventions, run the tests, keep changes small. '.repeat(250);

function rollout(id, created, i, tailBytes) {
  let ord = 0;
  let t = created.getTime();
  const line = (type, payload) => JSON.stringify({ timestamp: new Date((t += 50 + Math.floor(rand() * 2000))).toISOString(), ordinal: ord++, type, payload });
  const cwd = `/home/dev/project-${i % 40}`;
  const ask = `task ${i}: please look at module ${hex(6)} and fix the failing test`;
  const lines = [
    line('session_meta', { session_id: id, id, timestamp: created.toISOString(), cwd, originator: 'codex_exec', cli_version: '0.169.0', source: 'exec', model_provider: 'openai', base_instructions: { text: INSTRUCTIONS }, git: {} }),
    line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: `<environment_context>\n  <cwd>${cwd}</cwd>\n</environment_context>` }] }),
    line('turn_context', { turn_id: hex(8), cwd, approval_policy: 'never', model: 'gpt-5' }),
    line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: ask }] }),
    line('event_msg', { type: 'user_message', message: ask }),
  ];
  let size = lines.reduce((n, l) => n + l.length + 1, 0);
  const goal = size + tailBytes;
  while (size < goal) {
    const l = line('response_item', { type: 'function_call_output', call_id: `call_${hex(6)}`, output: Array.from({ length: 400 }, word).join(' ') });
    lines.push(l);
    size += l.length + 1;
  }
  return { text: lines.join('\n') + '\n', mtime: new Date(t) };
}

async function generate() {
  if (fs.existsSync(MARKER)) return;
  fs.rmSync(DATA, { recursive: true, force: true });
  const zstd = createRequire(path.join(ROOT, 'package.json'))('@mongodb-js/zstd');
  const t0 = Date.now();
  const dir = path.join(HOME, 'archived_sessions');
  fs.mkdirSync(dir, { recursive: true });
  const start = Date.now() - COUNT * 600_000;
  let plain = 0;
  let packed = 0;
  for (let i = 0; i < COUNT; i++) {
    const created = new Date(start + i * 600_000);
    const id = `${created.getTime().toString(16).padStart(12, '0').replace(/^(.{8})(.{4})$/, '$1-$2')}-7${hex(3)}-8${hex(3)}-${hex(12)}`;
    const tail = i % 5 === 0 ? Math.floor((0.5 + rand() * 3.5) * 2 ** 20) : Math.floor(rand() * 20_000);
    const { text, mtime } = rollout(id, created, i, tail);
    const file = path.join(dir, `rollout-${stampOf(created)}-${id}.jsonl.zst`);
    const z = await zstd.compress(Buffer.from(text), 3);
    fs.writeFileSync(file, z);
    fs.utimesSync(file, mtime, mtime);
    plain += text.length;
    packed += z.length;
  }
  fs.writeFileSync(MARKER, `${COUNT} ${plain} ${packed}\n`);
  process.stdout.write(`generated ${COUNT} sessions (${(plain / 2 ** 20).toFixed(0)} MiB, ${(packed / 2 ** 20).toFixed(0)} MiB compressed) in ${((Date.now() - t0) / 1000).toFixed(1)} s into ${path.relative(ROOT, DATA)}\n`);
}

await generate();
const [, plainBytes, packedBytes] = fs.readFileSync(MARKER, 'utf8').trim().split(' ').map(Number);
const env = { ...process.env, CODEX_HOME: HOME };
const addonEnv = { ...env, CODEX_TS_SYSTEM_ZSTD: '0' };
const builds = [['this build', CODEX], ...(BEFORE ? [['the build before', BEFORE]] : [])];
const forms = [
  ['list --archived (first page, 25)', ['sessions', 'list', '--archived']],
  ['list --archived --limit 200 --json', ['sessions', 'list', '--archived', '--limit', '200', '--json']],
];
const cases = [{ name: 'node -e 0', file: process.execPath, args: ['-e', '0'], env: { ...NO_CA_ENV, CODEX_HOME: HOME } }];
for (const [form, args] of forms) {
  for (const [build, file] of builds) cases.push({ name: `${build}: ${form}`, file, args, env });
  cases.push({ name: `this build, addon fallback (CODEX_TS_SYSTEM_ZSTD=0): ${form}`, file: CODEX, args, env: addonEnv });
}
const times = new Map(cases.map((c) => [c.name, []]));
for (let i = -1; i < RUNS; i++) {
  const order = i % 2 ? [...cases].reverse() : cases;
  for (const c of order) {
    const ms = timeRun(c.file, c.args, { env: c.env });
    if (i >= 0) times.get(c.name).push(ms);
  }
}
const med = (name) => median(times.get(name));
const base = med('node -e 0');
const rows = cases.map((c) => {
  const m = med(c.name);
  const before = BEFORE && c.name.startsWith('this build: ') ? med(c.name.replace('this build: ', 'the build before: ')) : undefined;
  return `| ${c.name} | ${m.toFixed(1)} | ${(m / base).toFixed(2)}× | ${before ? `${(m / before).toFixed(2)}×` : ''} |`;
});
const body = [
  `Store: ${COUNT} archived sessions, all \`.jsonl.zst\` (level 3), ${(plainBytes / 2 ** 20).toFixed(0)} MiB decoded, ${(packedBytes / 2 ** 20).toFixed(0)} MiB on disk; every head carries ~30 KB of instructions before the first user message, a fifth of the files have 0.5–4 MiB after it. In \`.bench-data/sessions-zst-${COUNT}/\`.`,
  `Median of ${RUNS} interleaved rounds (order reversed every other round) after a warm-up round (warm page cache); 1-min load average at the end: ${os.loadavg()[0].toFixed(1)} (shared machine: compare ratios).${BASELINE_NOTE ? ' ' + BASELINE_NOTE : ''}`,
  '',
  '| command | median ms | vs `node -e 0` | vs the build before |',
  '|---|---:|---:|---:|',
  ...rows,
  '',
  'Heads are streamed by libzstd (ZSTD_decompressStream through koffi, one reused output buffer): a page costs one 64 KiB read and a ~40 KB decode per file, whatever the file size. The addon fallback (no libzstd.so.1) decodes each file of the page whole, so its cost grows with the sizes of the files on the page.',
  ...(BEFORE ? ['', `The build before: \`${process.env.BENCH_ZST_BEFORE_NOTE ?? BEFORE}\`.`] : []),
].join('\n');
process.stdout.write(body + '\n');
writeSection('sessions-zst', body);
