// Giving up what the Landlock fallback can give up before it execs a command: the controlling
// terminal (a new session), and every capability including the bounding set (as root, execve would
// otherwise hand the command the full set again). Each acts on the calling thread / process.
import * as fs from 'node:fs';
import { libcFunctions } from './koffi.js';
import { SyscallError, errno } from './process.js';

const PR_CAPBSET_DROP = 24;
const PR_CAP_AMBIENT = 47;
const PR_CAP_AMBIENT_CLEAR_ALL = 4;
const SYS_capset = 126;
const LINUX_CAPABILITY_VERSION_3 = 0x20080522;
const TIOCNOTTY = 0x5422;
const O_RDWR = 2;
const O_NOCTTY = 0o400;
const EINVAL = 22;

const f = libcFunctions({
  prctl: 'int prctl(int, unsigned long, unsigned long, unsigned long, unsigned long)',
  setsid: 'int setsid(void)',
  syscall: 'long syscall(long, void *, void *)',
  ioctl: 'int ioctl(int, unsigned long, unsigned long)',
  open: 'int open(const char *, int)',
  close: 'int close(int)',
});

/**
 * Leave the user's terminal: a new session (no controlling terminal, so TIOCSTI cannot reach it).
 * A process-group leader cannot start a session; it drops its controlling terminal instead.
 * Returns how it was done.
 */
export function detachFromTerminal(): 'setsid' | 'notty' | 'no-tty' {
  const fn = f();
  if (fn.setsid() >= 0) return 'setsid';
  const fd = fn.open('/dev/tty', O_RDWR | O_NOCTTY);
  if (fd < 0) return 'no-tty';
  try {
    if (fn.ioctl(fd, TIOCNOTTY, 0) < 0) throw new SyscallError('ioctl(TIOCNOTTY)', errno());
  } finally {
    fn.close(fd);
  }
  return 'notty';
}

/** The capability sets of this process as /proc/self/status shows them (hex strings). */
export function capabilitySets(): { eff: bigint; bnd: bigint } {
  const s = fs.readFileSync('/proc/self/status', 'utf8');
  const hex = (k: string) => BigInt('0x' + (new RegExp(`^${k}:\\s*([0-9a-f]+)`, 'm').exec(s)?.[1] ?? '0'));
  return { eff: hex('CapEff'), bnd: hex('CapBnd') };
}

/**
 * Drop every capability: the bounding set (needs CAP_SETPCAP, which only a privileged process has;
 * an unprivileged one has nothing to drop and no_new_privs keeps execve from granting any), the
 * ambient set, then effective/permitted/inheritable.
 */
export function dropAllCapabilities(): void {
  const fn = f();
  const { eff } = capabilitySets();
  if (eff !== 0n) {
    for (let cap = 0; cap < 64; cap++) {
      if (fn.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
        const e = errno();
        if (e === EINVAL) break; // past the kernel's last capability
        throw new SyscallError(`prctl(PR_CAPBSET_DROP, ${cap})`, e);
      }
    }
  }
  fn.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  const header = Buffer.alloc(8);
  header.writeUInt32LE(LINUX_CAPABILITY_VERSION_3, 0);
  const data = Buffer.alloc(24); // two struct __user_cap_data_struct, all zero
  if (Number(fn.syscall(SYS_capset, header, data)) < 0) throw new SyscallError('capset', errno());
}
