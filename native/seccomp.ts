import { koffi, libc } from './koffi.js';
import { SyscallError, errno } from './process.js';

const SYS_seccomp = 317;
const SECCOMP_SET_MODE_FILTER = 1;

let fn: ((nr: number, op: number, flags: number, prog: unknown) => number) | undefined;

/** Install a classic-BPF seccomp program (raw `struct sock_filter` array) on the calling thread. */
export function seccompInstall(program: Buffer): void {
  if (program.length % 8 !== 0 || program.length === 0) throw new Error('seccomp program must be a non-empty multiple of 8 bytes');
  if (!fn) {
    const k = koffi();
    const fprog = k.struct('codex_sock_fprog', { len: 'uint16', filter: 'void *' });
    fn = libc().func('long syscall(long, long, long, _In_ codex_sock_fprog *)') as unknown as typeof fn;
    void fprog;
  }
  const r = Number(fn!(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, { len: program.length / 8, filter: program }));
  if (r < 0) throw new SyscallError('seccomp(SECCOMP_SET_MODE_FILTER)', errno());
}
