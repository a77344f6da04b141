import { libc } from './koffi.js';

const SYS_landlock_create_ruleset = 444;
const LANDLOCK_CREATE_RULESET_VERSION = 1;

let syscall3: ((nr: number, a: unknown, b: number, c: number) => number) | undefined;

/** Landlock ABI version of the running kernel, or a negative errno-style value when unavailable. */
export function landlockAbiVersion(): number {
  syscall3 ??= libc().func('long syscall(long, void *, size_t, uint32_t)') as unknown as (nr: number, a: unknown, b: number, c: number) => number;
  return Number(syscall3(SYS_landlock_create_ruleset, null, 0, LANDLOCK_CREATE_RULESET_VERSION));
}
