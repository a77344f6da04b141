import { libc } from './koffi.js';
import { SyscallError, errno } from './process.js';

const SYS_landlock_create_ruleset = 444;
const SYS_landlock_add_rule = 445;
const SYS_landlock_restrict_self = 446;
const LANDLOCK_CREATE_RULESET_VERSION = 1;
const LANDLOCK_RULE_PATH_BENEATH = 1;
const O_PATH = 0o10000000;
const O_CLOEXEC = 0o2000000;

type Sys = (nr: number, a: unknown, b: number, c: number) => number;
type Sys4 = (nr: number, a: number, b: number, c: unknown, d: number) => number;
let syscall3: Sys | undefined;
let syscall4: Sys4 | undefined;
let openFn: ((p: string, fl: number) => number) | undefined;
let closeFn: ((fd: number) => number) | undefined;

function sys3(): Sys {
  syscall3 ??= libc().func('long syscall(long, void *, size_t, uint32_t)') as unknown as Sys;
  return syscall3;
}

/** Landlock ABI version of the running kernel, or a negative errno-style value when unavailable. */
export function landlockAbiVersion(): number {
  return Number(sys3()(SYS_landlock_create_ruleset, null, 0, LANDLOCK_CREATE_RULESET_VERSION));
}

/** Landlock scopes (ABI 6): no signals to, and no abstract unix sockets of, processes outside the domain. */
export const LANDLOCK_SCOPE = { ABSTRACT_UNIX_SOCKET: 1n, SIGNAL: 2n } as const;

/** A new ruleset handling `handledFs` access bits and, when non-zero, `scoped` (ABI 6+); returns its fd. */
export function landlockCreateRuleset(handledFs: bigint, scoped = 0n): number {
  // struct landlock_ruleset_attr { u64 handled_access_fs; u64 handled_access_net; u64 scoped; }:
  // older kernels take the 8-byte prefix only.
  const attr = Buffer.alloc(scoped ? 24 : 8);
  attr.writeBigUInt64LE(handledFs, 0);
  if (scoped) attr.writeBigUInt64LE(scoped, 16);
  const fd = Number(sys3()(SYS_landlock_create_ruleset, attr, attr.length, 0));
  if (fd < 0) throw new SyscallError('landlock_create_ruleset', errno());
  return fd;
}

/** Grant `access` beneath `path` (a file or a directory). */
export function landlockAddPathRule(rulesetFd: number, path: string, access: bigint): void {
  openFn ??= libc().func('int open(const char *, int)') as unknown as (p: string, fl: number) => number;
  closeFn ??= libc().func('int close(int)') as unknown as (fd: number) => number;
  syscall4 ??= libc().func('long syscall(long, int, int, void *, uint32_t)') as unknown as Sys4;
  const pfd = openFn(path, O_PATH | O_CLOEXEC);
  if (pfd < 0) throw new SyscallError(`open(${path}, O_PATH)`, errno());
  try {
    const attr = Buffer.alloc(12); // struct landlock_path_beneath_attr is packed
    attr.writeBigUInt64LE(access, 0);
    attr.writeInt32LE(pfd, 8);
    const r = Number(syscall4(SYS_landlock_add_rule, rulesetFd, LANDLOCK_RULE_PATH_BENEATH, attr, 0));
    if (r < 0) throw new SyscallError(`landlock_add_rule(${path})`, errno());
  } finally {
    closeFn(pfd);
  }
}

/** Enforce the ruleset on the calling thread (which must then execve). Needs no_new_privs first. */
export function landlockRestrictSelf(rulesetFd: number): void {
  const r = Number(sys3()(SYS_landlock_restrict_self, rulesetFd as unknown as null, 0, 0));
  if (r < 0) throw new SyscallError('landlock_restrict_self', errno());
}
