// Sandbox clean-up (removing placeholder mount points) runs only when no other sandboxed child of
// this process is alive: commands now overlap (parallel calls, the shell snapshot, long-running
// sessions), and one command's clean-up must not remove a placeholder another one is still
// starting on. (The sandbox's own cross-process leases do not see leases held by this process.)

let live = 0;
const pending: (() => void)[] = [];

/** A sandboxed child is starting. */
export function childStarted(): void {
  live++;
}

/** A child ended: its clean-up runs now, or when the last live child ends. */
export function childEnded(cleanup: (() => void) | undefined): void {
  if (cleanup) pending.push(cleanup);
  live = Math.max(0, live - 1);
  if (live > 0) return;
  for (const f of pending.splice(0)) {
    try {
      f();
    } catch {
      /* best effort */
    }
  }
}
