// Ending the process while the helper thread is inside koffi (loading it, or in a call) aborts the
// whole process (node-addon-api's fatal error on a throw it cannot deliver): CI once saw
// `codex sessions search` die that way. stop() therefore ends the thread at once only before it
// has begun its native work, and otherwise waits for it to finish. Each case runs in a child node
// process, since an abort would take the test runner with it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'helper-stop-'));
const script = path.join(work, 'stop.mjs');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

// `when`: stop before the helper begins, while it loads koffi (it has set its phase), or once it
// waits for work; `exit`: 'stop' awaits stop() first, 'settle' settleSearches() (what the picker
// does before the process may end), 'now' exits at once (the hazard itself).
const SOURCE = `
import { HelperThread, settleSearches } from './helper.js';
import { rawIo } from '../../native/index.js';
import { needleSpec } from './match.js';
import { CTL_PHASE, CTL_FINISHED } from './helper-protocol.js';
const [when, exit] = process.argv.slice(2);
const h = HelperThread.start(needleSpec('x'), rawIo().koffiFile, 1 << 20);
const ctl = h.ctl;
if (when === 'loading') while (Atomics.load(ctl, CTL_PHASE) === 0) {}
if (when === 'waiting') await new Promise((r) => setTimeout(r, 300));
if (exit === 'stop') await h.stop();
if (exit === 'settle') await settleSearches();
process.stdout.write('finished=' + Atomics.load(ctl, CTL_FINISHED) + ' phase=' + Atomics.load(ctl, CTL_PHASE) + '\\n');
process.exit(0);
`;

beforeAll(() => {
  // Bundled as if it sat beside helper.ts, so the helper's program (bundled from helper-thread.ts
  // next to it) and the dev koffi addon resolve as in the checkout.
  const here = path.join(import.meta.dirname, 'stop-case.ts');
  buildSync({
    stdin: { contents: SOURCE, resolveDir: import.meta.dirname, sourcefile: here, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: script,
    logLevel: 'error',
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(here).href) },
  });
});

function run(when: string, exit: string) {
  const r = spawnSync(process.execPath, [script, when, exit], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, signal: r.signal, out: r.stdout.trim(), aborted: r.signal === 'SIGABRT' || /FATAL ERROR/.test(r.stderr) };
}

describe('stopping the search helper thread', () => {
  it('settleSearches() while a helper loads koffi, then exit: clean', () => {
    for (let i = 0; i < 5; i++) expect(run('loading', 'settle')).toMatchObject({ status: 0, signal: null, aborted: false, out: 'finished=1 phase=1' });
  });

  it('the hazard: exiting while the helper loads koffi aborts the process', () => {
    const runs = Array.from({ length: 5 }, () => run('loading', 'now'));
    expect(runs.filter((r) => r.aborted).length).toBeGreaterThan(0);
  });

  it.each([
    ['before', 'before it begins'],
    ['loading', 'while it loads koffi'],
    ['waiting', 'while it waits for work'],
  ])('stop() %s (%s), then exit: a clean exit every time', (when) => {
    for (let i = 0; i < 8; i++) {
      const r = run(when, 'stop');
      expect({ status: r.status, signal: r.signal, aborted: r.aborted }).toEqual({ status: 0, signal: null, aborted: false });
      // Stopped before it began: it never loaded anything. Otherwise it finished first.
      if (when !== 'before') expect(r.out).toBe('finished=1 phase=1');
    }
  });
});
