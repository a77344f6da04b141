// Doctor judges the compression lock by the worker's one rule, with the configured limit and the
// caller's clock (not a constant and Date.now()).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostName } from '../proc.js';
import { compressionLockStale, removeStaleCompressionLock } from './compression-lock.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-ts-lock-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function lockFile(ageMs: number, now: number): string {
  const f = path.join(dir, `rollout-compression-${Math.random().toString(16).slice(2)}.lock`);
  // A live holder on this host (this very process), so only the heartbeat can make it stale.
  fs.writeFileSync(f, `pid=${process.pid} host=${hostName()} started_at_ms=${Date.now()}\n`);
  const t = new Date(now - ageMs);
  fs.utimesSync(f, t, t);
  return f;
}

describe('compression lock staleness', () => {
  it('follows the configured limit and the injected clock', () => {
    const now = Date.now();
    const f = lockFile(10 * 60_000, now);
    expect(compressionLockStale(f, { staleMs: 5 * 60_000, now: () => now })).toMatch(/^no heartbeat for 10 min/);
    expect(compressionLockStale(f, { staleMs: 60 * 60_000, now: () => now })).toBeUndefined();
    // The same file seen from a clock one second after its heartbeat: live.
    expect(compressionLockStale(f, { staleMs: 5 * 60_000, now: () => now - 10 * 60_000 + 1000 })).toBeUndefined();
  });

  it('removal re-judges with the same rule', () => {
    const now = Date.now();
    const f = lockFile(10 * 60_000, now);
    expect(removeStaleCompressionLock(f, { staleMs: 60 * 60_000, now: () => now })).toBe(false);
    expect(fs.existsSync(f)).toBe(true);
    expect(removeStaleCompressionLock(f, { staleMs: 5 * 60_000, now: () => now })).toBe(true);
    expect(fs.existsSync(f)).toBe(false);
  });
});
