// `codex sessions doctor` on the real Codex 0.169 store and on a generated store with one of each
// kind of damage.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixtureHome, tempDir } from '../helpers/bin.js';
import { cx, cxAsNobody, expectOneLineError, holdThreadLock, json, treeDigest } from './helpers.js';
import { makeDamagedStore, rolloutLines, unzstd, writeRollout, DAY } from './store.js';

interface Finding {
  kind: string;
  fix: string;
  detail: string;
  path?: string;
  plain?: string;
  id?: string;
  relation?: string;
  problem?: string;
  lock?: string;
  name?: string | null;
  records_kept?: number;
  code?: string;
  quarantined_to?: string;
}
interface Report {
  healthy: boolean;
  counts: { found: number; repaired: number; remaining: number };
  findings: Finding[];
  quarantine: { path: string; from: string; bytes: number }[];
}

const holders: { stop: () => void }[] = [];
afterEach(() => {
  for (const h of holders.splice(0)) h.stop();
});

function parsedLines(p: string): unknown[] {
  const text = p.endsWith('.zst') ? unzstd(fs.readFileSync(p)).toString() : fs.readFileSync(p, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
}

describe('codex sessions doctor', () => {
  it('the real 0.169 store: only the compression lock Codex left behind; --repair clears it', () => {
    const home = copyFixtureHome();
    const r = cx(home, ['sessions', 'doctor', '--json']);
    expect(r.status).toBe(1);
    const rep = json<Report>(r);
    expect(rep.findings).toEqual([expect.objectContaining({ kind: 'stale_lock', lock: 'compression', fix: 'repairable', path: path.join(home, '.tmp', 'rollout-compression.lock') })]);
    const fixed = cx(home, ['sessions', 'doctor', '--repair', '--json']);
    expect(fixed.status, fixed.stderr).toBe(0);
    expect(json<Report>(fixed).counts).toEqual({ found: 1, repaired: 1, remaining: 0 });
    expect(fs.existsSync(path.join(home, '.tmp', 'rollout-compression.lock'))).toBe(false);
    const again = cx(home, ['sessions', 'doctor']);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(`Session store ${home} is healthy.\n`);
  });

  it('finds every kind of damage and changes nothing without --repair', () => {
    const home = path.join(tempDir(), 'home');
    const s = makeDamagedStore(home);
    const before = treeDigest(home);
    const r = cx(home, ['sessions', 'doctor', '--json']);
    expect(r.status, r.stderr).toBe(1);
    const rep = json<Report>(r);
    expect(treeDigest(home)).toEqual(before);
    const find = (pred: (f: Finding) => boolean) => rep.findings.filter(pred);
    expect(find((f) => f.kind === 'torn_lines').map((f) => f.path).sort()).toEqual([s.torn.path, s.truncated.path].sort());
    const pairs = Object.fromEntries(find((f) => f.kind === 'pair_mismatch').map((f) => [f.plain, f.relation]));
    expect(pairs).toEqual({
      [s.pairIdentical.path]: 'identical',
      [s.pairPlainPrefix.path]: 'plain_is_prefix',
      [s.pairZstPrefix.path]: 'zst_is_prefix',
      [s.pairDiverged.path]: 'diverged',
    });
    expect(find((f) => f.kind === 'unreadable').map((f) => f.path)).toEqual([s.corruptZst.path]);
    expect(find((f) => f.kind === 'orphan_temp').map((f) => f.path)).toEqual([s.orphanTemp]);
    expect(find((f) => f.kind === 'stale_lock').map((f) => f.path).sort()).toEqual([s.staleCompressionLock, s.staleThreadLock].sort());
    const misplaced = Object.fromEntries(find((f) => f.kind === 'misplaced').map((f) => [f.path, f.problem]));
    expect(misplaced).toEqual({
      [s.nestedArchived.path]: 'archived_in_subfolder',
      [s.rootLevelActive.path]: 'active_outside_day_folder',
      [s.bothTrees.archived]: 'in_both_trees',
    });
    expect(find((f) => f.kind === 'dangling_name')).toEqual([expect.objectContaining({ id: s.danglingName.id, name: 'ghost-session', fix: 'repairable' })]);
    // What cannot be decided safely is marked for a human.
    expect(find((f) => f.fix === 'manual').map((f) => f.path ?? f.plain)).toEqual([s.pairDiverged.path]);
    // A .zst nothing decodes from is kept whole, out of the way.
    expect(find((f) => f.kind === 'unreadable')).toEqual([expect.objectContaining({ fix: 'repairable', code: 'STORE_UNREADABLE', detail: expect.stringContaining('quarantine') })]);
    expect(rep.counts).toEqual({ found: rep.findings.length, repaired: 0, remaining: rep.findings.length });

    const text = cx(home, ['sessions', 'doctor']);
    expect(text.stdout).toContain(`[repairable] torn_lines: ${s.torn.path}`);
    expect(text.stdout).toMatch(/\d+ problems found, 0 repaired, \d+ remaining\.\nRun `codex sessions doctor --repair` to fix the repairable ones\.\n$/);
  });

  it('--repair fixes what is safe, keeps every parseable record, and reports the rest', () => {
    const home = path.join(tempDir(), 'home');
    const s = makeDamagedStore(home);
    const divergedBefore = [fs.readFileSync(s.pairDiverged.path), fs.readFileSync(`${s.pairDiverged.path}.zst`)];
    const corruptBefore = fs.readFileSync(s.corruptZst.path);
    const tornMtime = fs.statSync(s.torn.path).mtimeMs;
    const r = cx(home, ['sessions', 'doctor', '--repair', '--json']);
    expect(r.status, r.stderr).toBe(1); // the manual one remains
    const rep = json<Report>(r);
    expect(rep.findings.filter((f) => f.fix !== 'repaired').map((f) => f.fix)).toEqual(['manual']);
    // The corrupt .zst: moved whole, byte for byte, and listed as quarantined.
    const q = rep.findings.find((f) => f.kind === 'unreadable')!;
    expect(q.fix).toBe('repaired');
    expect(q.quarantined_to!.startsWith(path.join(home, 'quarantine') + path.sep)).toBe(true);
    expect(q.quarantined_to!.endsWith(path.relative(home, s.corruptZst.path))).toBe(true);
    expect(fs.readFileSync(q.quarantined_to!)).toEqual(corruptBefore);
    expect(fs.existsSync(s.corruptZst.path)).toBe(false);
    expect(rep.quarantine).toEqual([expect.objectContaining({ path: q.quarantined_to, from: path.relative(home, s.corruptZst.path), bytes: corruptBefore.length })]);

    // Torn line: every record that parses is kept, in order; the half record is gone.
    const torn = parsedLines(s.torn.path);
    expect(torn.length).toBe(s.tornRecords);
    expect(fs.statSync(s.torn.path).mtimeMs).toBe(tornMtime);
    expect(JSON.stringify(torn)).toContain('echo torn');
    // Truncated last line dropped, everything before it kept.
    expect(parsedLines(s.truncated.path).length).toBe(rolloutLines({ user: 'x' }).length);
    // Pairs resolved by content: the superset stays.
    expect(fs.existsSync(`${s.pairIdentical.path}.zst`)).toBe(false);
    expect(fs.existsSync(s.pairIdentical.path)).toBe(true);
    expect(fs.existsSync(s.pairPlainPrefix.path)).toBe(false);
    expect(parsedLines(`${s.pairPlainPrefix.path}.zst`).length).toBe(rolloutLines({ user: 'x' }).length);
    expect(fs.existsSync(`${s.pairZstPrefix.path}.zst`)).toBe(false);
    expect(parsedLines(s.pairZstPrefix.path).length).toBe(rolloutLines({ user: 'x' }).length);
    // Undecidable ones untouched.
    expect([fs.readFileSync(s.pairDiverged.path), fs.readFileSync(`${s.pairDiverged.path}.zst`)]).toEqual(divergedBefore);
    // Orphans and stale locks gone; the live run's temp kept.
    expect(fs.existsSync(s.orphanTemp)).toBe(false);
    expect(fs.existsSync(s.freshTemp)).toBe(true);
    expect(fs.existsSync(s.staleCompressionLock)).toBe(false);
    expect(fs.existsSync(s.staleThreadLock)).toBe(false);
    // Misplaced files moved where readers look; the archived duplicate removed.
    expect(fs.existsSync(path.join(home, 'archived_sessions', path.basename(s.nestedArchived.path)))).toBe(true);
    const day = s.rootLevelActive.stamp;
    expect(fs.existsSync(path.join(home, 'sessions', day.slice(0, 4), day.slice(5, 7), day.slice(8, 10), path.basename(s.rootLevelActive.path)))).toBe(true);
    expect(fs.existsSync(s.bothTrees.archived)).toBe(false);
    expect(fs.existsSync(s.bothTrees.active)).toBe(true);
    // Dangling name gone, the live name still resolves.
    expect(fs.readFileSync(path.join(home, 'session_index.jsonl'), 'utf8')).not.toContain(s.danglingName.id);
    expect(cx(home, ['sessions', 'export', s.namedHealthy, '--format', 'jsonl']).status).toBe(0);
    // Every session still exports, and the moved ones are found by id.
    for (const w of [s.nestedArchived, s.rootLevelActive, s.torn, s.pairPlainPrefix]) {
      expect(cx(home, ['sessions', 'export', w.id, '--format', 'jsonl']).status).toBe(0);
    }

    // Idempotent: a second repair finds only what needs a human.
    const again = json<Report>(cx(home, ['sessions', 'doctor', '--repair', '--json']));
    expect(again.findings.map((f) => [f.kind, f.fix])).toEqual(
      expect.arrayContaining([
        ['pair_mismatch', 'manual'],
      ]),
    );
    expect(again.findings.length).toBe(1);
    expect(again.quarantine.length).toBe(1);
  });

  it('repairs a torn line inside a .zst and keeps the file compressed', () => {
    const home = path.join(tempDir(), 'home');
    const lines = rolloutLines({ user: 'zst torn', command: 'echo z' });
    const damaged = [...lines.slice(0, 4), lines[4]!.slice(0, 25) + lines[5], ...lines.slice(6)];
    const w = writeRollout(home, { archived: true, compressed: true, content: damaged.join('\n') + '\n', created: new Date(Date.now() - 9 * DAY) });
    const r = json<Report>(cx(home, ['sessions', 'doctor', '--repair', '--json']));
    expect(r.healthy).toBe(true);
    expect(r.findings).toEqual([expect.objectContaining({ kind: 'torn_lines', fix: 'repaired', path: w.path })]);
    expect(parsedLines(w.path).length).toBe(lines.length - 1);
  });

  it('leaves a thread alone while its writer lock is held', async () => {
    const home = path.join(tempDir(), 'home');
    const lines = rolloutLines({ user: 'busy' });
    const w = writeRollout(home, { content: lines.join('\n') + '\n' + lines[2]!.slice(0, 20) });
    const bytes = fs.readFileSync(w.path);
    holders.push(await holdThreadLock(home, w.id));
    // Report mode: a live writer may be mid-append, so it is in use rather than damage to repair.
    const report = json<Report>(cx(home, ['sessions', 'doctor', '--json']));
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'torn_lines', fix: 'in_use' })]);
    const r = cx(home, ['sessions', 'doctor', '--repair', '--json']);
    expect(r.status).toBe(1);
    expect(json<Report>(r).findings).toEqual([expect.objectContaining({ kind: 'torn_lines', fix: 'in_use', detail: expect.stringMatching(/^writer lock held by pid \d+/) })]);
    expect(fs.readFileSync(w.path)).toEqual(bytes);
  });

  it('never calls a compression lock stale while a worker holds its flock, however old its heartbeat', async () => {
    const home = copyFixtureHome();
    const lock = path.join(home, '.tmp', 'rollout-compression.lock');
    fs.utimesSync(lock, new Date(Date.now() - 10 * DAY), new Date(Date.now() - 10 * DAY));
    const child = spawn('flock', ['-x', lock, 'sh', '-c', 'echo locked; exec sleep 60'], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    holders.push({
      stop: () => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      },
    });
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    const r = cx(home, ['sessions', 'doctor', '--repair', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(json<Report>(r).findings).toEqual([]);
    expect(fs.existsSync(lock)).toBe(true);
  });

  it('bad input: unknown flag, unwritable store for --repair (plain doctor still reads)', (ctx) => {
    const home = path.join(tempDir(), 'home');
    makeDamagedStore(home);
    expectOneLineError(cx(home, ['sessions', 'doctor', '--fix']), 'UNKNOWN_FLAG', 2);
    expectOneLineError(cx(home, ['sessions', 'doctor', 'extra']), 'USAGE', 2);
    const before = treeDigest(home);
    const r = cxAsNobody(home, ['sessions', 'doctor', '--repair']);
    // The checks above passed; the rest needs another user, so the test reports itself skipped.
    if (r === undefined) return ctx.skip('the unwritable-store case needs root and setpriv to run as nobody');
    expectOneLineError(r, 'ROLLOUT_STORE_UNWRITABLE', 1);
    expect(treeDigest(home)).toEqual(before);
    const check = cxAsNobody(home, ['sessions', 'doctor', '--json'])!;
    expect(check.status).toBe(1);
    expect(json<Report>(check).counts.found).toBeGreaterThan(5);
  });
});
