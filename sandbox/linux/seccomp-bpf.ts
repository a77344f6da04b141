// Classic-BPF seccomp programs for the network block (pure: returns the raw `struct sock_filter`
// array that seccomp(2) and bwrap's `--seccomp FD` both take). x86_64 plus the i386 compat ABI.

/** Which network filter: the Landlock route blocks every non-AF_UNIX socket; inside bwrap's own
 *  network namespace only the families that the namespace does not isolate are blocked. */
export type NetFilter = 'unix-only' | 'netns';

const AUDIT_ARCH_X86_64 = 0xc000003e;
const AUDIT_ARCH_I386 = 0x40000003;
const X32_SYSCALL_BIT = 0x40000000;
const EPERM = 1;
const RET_ALLOW = 0x7fff0000;
const RET_EPERM = 0x00050000 | EPERM;

const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;

const NR = {
  x86_64: { socket: 41, socketpair: 53, io_uring_setup: 425 },
  i386: { socketcall: 102, socket: 359, socketpair: 360, io_uring_setup: 425 },
} as const;

// Opcodes.
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;
const OFF_NR = 0;
const OFF_ARCH = 4;
const OFF_ARG0 = 16; // low 32 bits of args[0] (little endian)

type Insn =
  | { op: 'ld'; off: number }
  | { op: 'jeq' | 'jge'; k: number; t: string | 0; f: string | 0 }
  | { op: 'ret'; k: number }
  | { op: 'label'; name: string };

function assemble(code: Insn[]): Buffer {
  const labels = new Map<string, number>();
  let pc = 0;
  for (const i of code) {
    if (i.op === 'label') labels.set(i.name, pc);
    else pc++;
  }
  const out = Buffer.alloc(pc * 8);
  pc = 0;
  const rel = (target: string | 0, at: number): number => {
    if (target === 0) return 0;
    const to = labels.get(target);
    if (to === undefined) throw new Error(`bpf: no label ${target}`);
    const d = to - at - 1;
    if (d < 0 || d > 255) throw new Error(`bpf: jump to ${target} out of range`);
    return d;
  };
  for (const i of code) {
    if (i.op === 'label') continue;
    const o = pc * 8;
    switch (i.op) {
      case 'ld':
        out.writeUInt16LE(LD_W_ABS, o);
        out.writeUInt32LE(i.off, o + 4);
        break;
      case 'jeq':
      case 'jge':
        out.writeUInt16LE(i.op === 'jeq' ? JEQ_K : JGE_K, o);
        out.writeUInt8(rel(i.t, pc), o + 2);
        out.writeUInt8(rel(i.f, pc), o + 3);
        out.writeUInt32LE(i.k >>> 0, o + 4);
        break;
      case 'ret':
        out.writeUInt16LE(RET_K, o);
        out.writeUInt32LE(i.k >>> 0, o + 4);
        break;
    }
    pc++;
  }
  return out;
}

/** Socket families allowed by each filter. */
export function allowedFamilies(kind: NetFilter): number[] {
  switch (kind) {
    case 'unix-only':
      return [AF_UNIX];
    case 'netns':
      return [AF_UNIX, AF_INET, AF_INET6, AF_NETLINK];
  }
}

/**
 * The network filter: `socket`/`socketpair` with a family outside the allowed set fail with EPERM;
 * `connect`, `sendto`, `setsockopt` and everything else are left alone (local IPC keeps working).
 * io_uring (which can open sockets behind the filter's back) is refused on the unix-only filter;
 * on i386, `socketcall` hides its arguments, so it is refused whole.
 */
export function buildNetworkFilter(kind: NetFilter): Buffer {
  const fam = allowedFamilies(kind);
  const familyCheck = (): Insn[] => [
    { op: 'ld', off: OFF_ARG0 },
    ...fam.map((k): Insn => ({ op: 'jeq', k, t: 'allow', f: 0 })),
    { op: 'ret', k: RET_EPERM },
  ];
  const uring = kind === 'unix-only';
  const code: Insn[] = [
    { op: 'ld', off: OFF_ARCH },
    { op: 'jeq', k: AUDIT_ARCH_X86_64, t: 0, f: 'not_x86_64' },
    { op: 'ld', off: OFF_NR },
    { op: 'jge', k: X32_SYSCALL_BIT, t: 'deny', f: 0 },
    { op: 'jeq', k: NR.x86_64.socket, t: 'family', f: 0 },
    { op: 'jeq', k: NR.x86_64.socketpair, t: 'family', f: 0 },
    ...(uring ? [{ op: 'jeq', k: NR.x86_64.io_uring_setup, t: 'deny', f: 0 } as Insn] : []),
    { op: 'ret', k: RET_ALLOW },
    { op: 'label', name: 'not_x86_64' },
    { op: 'jeq', k: AUDIT_ARCH_I386, t: 0, f: 'deny' },
    { op: 'ld', off: OFF_NR },
    { op: 'jeq', k: NR.i386.socketcall, t: 'deny', f: 0 },
    { op: 'jeq', k: NR.i386.socket, t: 'family', f: 0 },
    { op: 'jeq', k: NR.i386.socketpair, t: 'family', f: 0 },
    ...(uring ? [{ op: 'jeq', k: NR.i386.io_uring_setup, t: 'deny', f: 0 } as Insn] : []),
    { op: 'ret', k: RET_ALLOW },
    { op: 'label', name: 'family' },
    ...familyCheck(),
    { op: 'label', name: 'allow' },
    { op: 'ret', k: RET_ALLOW },
    { op: 'label', name: 'deny' },
    { op: 'ret', k: RET_EPERM },
  ];
  return assemble(code);
}

/** A tiny interpreter for the programs above (for tests): what a syscall gets. */
export function evaluateFilter(program: Buffer, data: { arch: number; nr: number; arg0?: number }): 'allow' | 'eperm' | number {
  let acc = 0;
  for (let pc = 0; pc < program.length / 8; ) {
    const o = pc * 8;
    const code = program.readUInt16LE(o);
    const jt = program.readUInt8(o + 2);
    const jf = program.readUInt8(o + 3);
    const k = program.readUInt32LE(o + 4);
    if (code === LD_W_ABS) {
      acc = k === OFF_NR ? data.nr : k === OFF_ARCH ? data.arch : k === OFF_ARG0 ? (data.arg0 ?? 0) : 0;
      pc++;
    } else if (code === JEQ_K || code === JGE_K) {
      const hit = code === JEQ_K ? acc >>> 0 === k : acc >>> 0 >= k;
      pc += 1 + (hit ? jt : jf);
    } else if (code === RET_K) {
      return k === RET_ALLOW ? 'allow' : k === RET_EPERM ? 'eperm' : k;
    } else {
      throw new Error(`bpf: unknown opcode ${code}`);
    }
  }
  throw new Error('bpf: fell off the end');
}

export const ARCH = { x86_64: AUDIT_ARCH_X86_64, i386: AUDIT_ARCH_I386 } as const;
