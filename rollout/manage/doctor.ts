// `codex sessions doctor [--repair]`: one scan of the store (snapshot.ts), the content facts of its
// copies (inspect.ts), a pure plan of findings and actions (doctor-plan.ts), and with --repair the
// executor (store/executor.ts) applying each under its thread lock. Nothing is deleted or shrunk that is
// not held elsewhere; what cannot be accounted for goes whole to the quarantine (store/quarantine.ts).
import { pidAlive } from '../proc.js';
import { describeHolder, isThreadLocked, readLockHolder, type LockOptions } from '../locks.js';
import { openCodexIndex } from '../codex-index.js';
import { planDoctor, type Finding, type FindingCode, type Fix } from './doctor-plan.js';
import { inspectStore } from './inspect.js';
import { ownedOnThisHost, applyGroups, compressionLockStale, listQuarantine, type QuarantinedFile, scanStore } from '../store/index.js';

export type { Finding, FindingCode, Fix } from './doctor-plan.js';
export { isTempName } from '../store/index.js';

/** The compression lock's default heartbeat limit (the configured one is passed in). */
export const COMPRESSION_LOCK_STALE_MS = 5 * 60_000;

export type Report = Finding & { code: FindingCode; fix: Fix; detail: string; quarantined_to?: string };

export interface DoctorReport {
  home: string;
  repair: boolean;
  /** True when nothing is left to fix (nothing found, or everything found was repaired). */
  healthy: boolean;
  counts: { found: number; repaired: number; remaining: number };
  findings: Report[];
  /** Files kept in $CODEX_HOME/quarantine/ (by this run or earlier ones). */
  quarantine: QuarantinedFile[];
}

export interface DoctorOptions {
  home: string;
  repair: boolean;
  /** The clock (tests inject one). */
  now?: () => number;
  /** The compression lock's staleness limit ([compression] stale_lock_seconds). */
  staleMs?: number;
  /** Where the thread locks live (the configured directory). */
  lock?: LockOptions;
}

export async function doctor(o: DoctorOptions): Promise<DoctorReport> {
  const now = o.now ?? Date.now;
  const home = o.home;
  const staleRule = { staleMs: o.staleMs ?? COMPRESSION_LOCK_STALE_MS, now };
  const lock = o.lock ?? {};
  const snap = scanStore(home, lock);
  const facts = await inspectStore(snap);
  const lockedCache = new Map<string, boolean>();
  const locked = (id: string) => {
    let v = lockedCache.get(id);
    if (v === undefined) lockedCache.set(id, (v = isThreadLocked(home, id, lock)));
    return v;
  };
  const staleWhy = snap.compressionLock ? compressionLockStale(snap.compressionLock, staleRule) : undefined;
  const plan = planDoctor(snap, facts, {
    now: now(),
    locked,
    holder: (id) => describeHolder(readLockHolder(home, id, lock)),
    tempOwnerHere: (t) => t.owner !== undefined && ownedOnThisHost(t.owner),
    tempOwnerLive: (t) => t.owner !== undefined && pidAlive(t.owner.pid),
    ...(staleWhy ? { compressionLockStale: staleWhy } : {}),
  });
  const findings: Report[] = plan.map((p) => ({ ...p.finding, code: p.code, fix: p.fix, detail: p.detail }));
  if (o.repair) {
    const todo = plan.map((p, i) => ({ p, i })).filter(({ p }) => p.fix === 'repairable');
    const ix = todo.length ? await openCodexIndex(home) : undefined;
    const index = ix && 'close' in ix ? ix : undefined;
    let outcomes: Awaited<ReturnType<typeof applyGroups>>;
    try {
      outcomes = await applyGroups(
        todo.map(({ p }) => p),
        { home, lock, now, staleRule, ...(index ? { index } : {}) },
      );
    } finally {
      index?.close();
    }
    todo.forEach(({ i }, k) => {
      const r = outcomes[k]!;
      const f = findings[i]!;
      f.fix = r.status === 'done' ? 'repaired' : r.status;
      f.detail = r.detail;
      if (r.status === 'done' && r.quarantined) f.quarantined_to = r.quarantined;
    });
  }
  const repaired = findings.filter((r) => r.fix === 'repaired').length;
  return {
    home,
    repair: o.repair,
    healthy: findings.every((r) => r.fix === 'repaired'),
    counts: { found: findings.length, repaired, remaining: findings.length - repaired },
    findings,
    quarantine: listQuarantine(home),
  };
}
