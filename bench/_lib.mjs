// Shared benchmark helpers: timing, median, RESULTS.md section updates, the reference binary.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CODEX = path.join(ROOT, 'dist', 'codex');

/**
 * fds beyond stdio that this process inherited without close-on-exec (a terminal passes none; some
 * harnesses leave one open), closed before anything is timed so every child starts as it would from
 * a terminal. With such an fd, `codex sandbox` loads koffi to mark it close-on-exec (~2 ms): the
 * harness would be measured, not the program. Their numbers, for the notes of the results.
 */
export const CLOSED_INHERITED_FDS = (() => {
  const closed = [];
  let names = [];
  try {
    names = fs.readdirSync('/proc/self/fd');
  } catch {
    return closed;
  }
  for (const n of names.map(Number).filter((fd) => fd > 2)) {
    let flags;
    try {
      flags = /^flags:\s*([0-7]+)$/m.exec(fs.readFileSync(`/proc/self/fdinfo/${n}`, 'latin1'))?.[1];
    } catch {
      continue; // the listing's own fd
    }
    if (flags !== undefined && (parseInt(flags, 8) & 0o2000000) === 0) {
      fs.closeSync(n);
      closed.push(n);
    }
  }
  return closed;
})();

export function referenceCodex() {
  const c = [
    process.env.CODEX_REFERENCE_BIN,
    path.resolve(ROOT, '..', '.codex-reference/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex'),
  ].find((p) => p && fs.existsSync(p));
  return c;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall time in ms of one run of `file args` (stdio ignored unless given). */
export function timeRun(file, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, args, { stdio: ['pipe', 'ignore', 'ignore'], ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${file} ${args.join(' ')} exited ${r.status}`);
  return ms;
}

export function machine() {
  return `${os.cpus().length} cores (${os.cpus()[0]?.model?.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}, Node ${process.version}`;
}

/** Replace (or append) the `## name` section of bench/RESULTS.md. */
export function writeSection(name, body) {
  const file = path.join(ROOT, 'bench', 'RESULTS.md');
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmark results\n';
  const header = `## ${name}`;
  const section = `${header}\n\n_${new Date().toISOString().slice(0, 10)}, ${machine()}_\n\n${body.trim()}\n`;
  const re = new RegExp(`^## ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n[\\s\\S]*?(?=^## |(?![\\s\\S]))`, 'm');
  text = re.test(text) ? text.replace(re, section + '\n') : text.trimEnd() + '\n\n' + section;
  fs.writeFileSync(file, text.trimEnd() + '\n');
}

/**
 * The bare-node baseline. Our executable does not load NODE_EXTRA_CA_CERTS at start (a bare node
 * parses that bundle first, ~35 ms for a system bundle): when the variable is set, the baseline is
 * node without it (the stricter one), and node as set is shown beside it.
 */
export const CA_SET = Boolean(process.env.NODE_EXTRA_CA_CERTS);
export const NO_CA_ENV = (() => {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
})();
export const BASELINE_NOTE = CA_SET
  ? 'This machine sets NODE_EXTRA_CA_CERTS, which a bare node parses at every start and our executable does not (it reads it only for HTTPS requests): the `node -e 0` baseline runs without it, and node as set is shown for comparison.'
  : '';

/** A seeded random source (mulberry32) for generated stores that are the same on every run. */
export function seededRandom(seed) {
  let state = seed | 0;
  const rand = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  return { rand, hex };
}
