// Classic-BPF seccomp programs for every sandboxed command (pure: returns the raw `struct
// sock_filter` array that seccomp(2) and bwrap's `--seccomp FD` both take). x86_64 plus the i386
// compat ABI; x32 is refused whole.
//
// What every program refuses, whatever the network setting (the threat model of the sandbox spec):
// io_uring (it opens sockets and files behind the filter's back), TIOCSTI/TIOCLINUX (typing into
// the user's terminal), the kernel keyrings (they hold the user's secrets), bpf, every mount call,
// and new namespaces (unshare/setns/clone with CLONE_NEW*; clone3 hides its flags in memory, so it
// answers ENOSYS and libc falls back to clone).
//
// With the network off, a command may make AF_UNIX socket *pairs* of the connected kinds (stream,
// seqpacket: pipes for asyncio, Chromium, test runners) but no AF_UNIX socket of its own: that is
// the only way to reach a host socket by path or abstract name (docker.sock, ssh-agent, the session
// bus), and seccomp cannot read the address a connect() names. A datagram pair is refused too: it
// can sendto() any host datagram socket. Inside bubblewrap's network namespace (`netns`) the
// internet families stay (only loopback exists there); on the Landlock route (`no-network`) there is
// no namespace, so every socket() is refused.

/** `network`: no socket rules; `netns`: inside an empty network namespace; `no-network`: no namespace. */
export type SeccompKind = 'network' | 'netns' | 'no-network';

export const SECCOMP_KINDS: readonly SeccompKind[] = ['network', 'netns', 'no-network'];

const AUDIT_ARCH_X86_64 = 0xc000003e;
const AUDIT_ARCH_I386 = 0x40000003;
const X32_SYSCALL_BIT = 0x40000000;
const EPERM = 1;
const ENOSYS = 38;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
const RET_EPERM = RET_ERRNO | EPERM;
const RET_ENOSYS = RET_ERRNO | ENOSYS;

export const AF = { UNIX: 1, INET: 2, INET6: 10, NETLINK: 16, PACKET: 17, VSOCK: 40 } as const;
export const SOCK = { STREAM: 1, DGRAM: 2, SEQPACKET: 5 } as const;
export const TIOCSTI = 0x5412;
export const TIOCLINUX = 0x541c;
/** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWTIME */
export const CLONE_NEW_MASK = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x00000080;

/** What a syscall gets, by name: the same table for both ABIs. */
type Action = 'eperm' | 'enosys' | 'socket' | 'socketpair' | 'ioctl' | 'nsflags';

const SYSCALLS: Record<string, { x86_64: number; i386: number; action: Action }> = {
  io_uring_setup: { x86_64: 425, i386: 425, action: 'enosys' },
  io_uring_enter: { x86_64: 426, i386: 426, action: 'enosys' },
  io_uring_register: { x86_64: 427, i386: 427, action: 'enosys' },
  clone3: { x86_64: 435, i386: 435, action: 'enosys' },
  ioctl: { x86_64: 16, i386: 54, action: 'ioctl' },
  keyctl: { x86_64: 250, i386: 288, action: 'eperm' },
  add_key: { x86_64: 248, i386: 286, action: 'eperm' },
  request_key: { x86_64: 249, i386: 287, action: 'eperm' },
  bpf: { x86_64: 321, i386: 357, action: 'eperm' },
  mount: { x86_64: 165, i386: 21, action: 'eperm' },
  umount2: { x86_64: 166, i386: 52, action: 'eperm' },
  pivot_root: { x86_64: 155, i386: 217, action: 'eperm' },
  open_tree: { x86_64: 428, i386: 428, action: 'eperm' },
  move_mount: { x86_64: 429, i386: 429, action: 'eperm' },
  fsopen: { x86_64: 430, i386: 430, action: 'eperm' },
  fsconfig: { x86_64: 431, i386: 431, action: 'eperm' },
  fsmount: { x86_64: 432, i386: 432, action: 'eperm' },
  fspick: { x86_64: 433, i386: 433, action: 'eperm' },
  mount_setattr: { x86_64: 442, i386: 442, action: 'eperm' },
  setns: { x86_64: 308, i386: 346, action: 'eperm' },
  unshare: { x86_64: 272, i386: 310, action: 'nsflags' },
  clone: { x86_64: 56, i386: 120, action: 'nsflags' },
  socket: { x86_64: 41, i386: 359, action: 'socket' },
  socketpair: { x86_64: 53, i386: 360, action: 'socketpair' },
};
/** i386 only: socketcall multiplexes every socket call behind a pointer; refused whole. */
const I386_SOCKETCALL = 102;
/** i386 only: the old umount. */
const I386_UMOUNT = 22;

// Opcodes.
const LD_W_ABS = 0x20;
const ALU_AND_K = 0x54;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const JSET_K = 0x45;
const RET_K = 0x06;
const OFF_NR = 0;
const OFF_ARCH = 4;
const OFF_ARG0 = 16; // low 32 bits of args[0] (little endian)
const OFF_ARG1 = 24; // low 32 bits of args[1]

type Insn =
  | { op: 'ld'; off: number }
  | { op: 'and'; k: number }
  | { op: 'jeq' | 'jge' | 'jset'; k: number; t: string | 0; f: string | 0 }
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
  const JUMP = { jeq: JEQ_K, jge: JGE_K, jset: JSET_K } as const;
  for (const i of code) {
    if (i.op === 'label') continue;
    const o = pc * 8;
    switch (i.op) {
      case 'ld':
        out.writeUInt16LE(LD_W_ABS, o);
        out.writeUInt32LE(i.off, o + 4);
        break;
      case 'and':
        out.writeUInt16LE(ALU_AND_K, o);
        out.writeUInt32LE(i.k >>> 0, o + 4);
        break;
      case 'jeq':
      case 'jge':
      case 'jset':
        out.writeUInt16LE(JUMP[i.op], o);
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

/** Socket families `socket()` may create under each kind (undefined: any). */
export function allowedFamilies(kind: SeccompKind): number[] | undefined {
  switch (kind) {
    case 'network':
      return undefined;
    case 'netns':
      return [AF.INET, AF.INET6, AF.NETLINK];
    case 'no-network':
      return [];
  }
}

/** The program for one kind (see the header for what it refuses and why). */
export function buildSeccompFilter(kind: SeccompKind): Buffer {
  const families = allowedFamilies(kind);
  const dispatch = (abi: 'x86_64' | 'i386'): Insn[] => {
    const out: Insn[] = [];
    for (const s of Object.values(SYSCALLS)) {
      if (families === undefined && (s.action === 'socket' || s.action === 'socketpair')) continue;
      out.push({ op: 'jeq', k: s[abi], t: s.action, f: 0 });
    }
    return out;
  };
  const code: Insn[] = [
    { op: 'ld', off: OFF_ARCH },
    { op: 'jeq', k: AUDIT_ARCH_X86_64, t: 0, f: 'not_x86_64' },
    { op: 'ld', off: OFF_NR },
    { op: 'jge', k: X32_SYSCALL_BIT, t: 'eperm', f: 0 },
    ...dispatch('x86_64'),
    { op: 'ret', k: RET_ALLOW },
    { op: 'label', name: 'not_x86_64' },
    { op: 'jeq', k: AUDIT_ARCH_I386, t: 0, f: 'eperm' },
    { op: 'ld', off: OFF_NR },
    ...(families === undefined ? [] : [{ op: 'jeq', k: I386_SOCKETCALL, t: 'eperm', f: 0 } as Insn]),
    { op: 'jeq', k: I386_UMOUNT, t: 'eperm', f: 0 },
    ...dispatch('i386'),
    { op: 'ret', k: RET_ALLOW },
    { op: 'label', name: 'ioctl' },
    { op: 'ld', off: OFF_ARG1 },
    { op: 'jeq', k: TIOCSTI, t: 'eperm', f: 0 },
    { op: 'jeq', k: TIOCLINUX, t: 'eperm', f: 'allow' },
    { op: 'label', name: 'nsflags' },
    { op: 'ld', off: OFF_ARG0 },
    { op: 'jset', k: CLONE_NEW_MASK, t: 'eperm', f: 'allow' },
    ...(families === undefined
      ? []
      : ([
          { op: 'label', name: 'socket' },
          { op: 'ld', off: OFF_ARG0 },
          ...families.map((k): Insn => ({ op: 'jeq', k, t: 'allow', f: 0 })),
          { op: 'ret', k: RET_EPERM },
          { op: 'label', name: 'socketpair' },
          { op: 'ld', off: OFF_ARG0 },
          { op: 'jeq', k: AF.UNIX, t: 0, f: 'eperm' },
          { op: 'ld', off: OFF_ARG1 },
          { op: 'and', k: 0xf },
          { op: 'jeq', k: SOCK.STREAM, t: 'allow', f: 0 },
          { op: 'jeq', k: SOCK.SEQPACKET, t: 'allow', f: 'eperm' },
        ] as Insn[])),
    { op: 'label', name: 'allow' },
    { op: 'ret', k: RET_ALLOW },
    { op: 'label', name: 'enosys' },
    { op: 'ret', k: RET_ENOSYS },
    { op: 'label', name: 'eperm' },
    { op: 'ret', k: RET_EPERM },
  ];
  return assemble(code);
}

/** Syscall numbers by ABI, for tests and the interpreter's callers. */
export function syscallNumber(name: keyof typeof SYSCALLS, abi: 'x86_64' | 'i386'): number {
  const s = SYSCALLS[name];
  if (!s) throw new Error(`unknown syscall ${name}`);
  return s[abi];
}

export type FilterVerdict = 'allow' | 'eperm' | 'enosys' | number;

/** A tiny interpreter for the programs above (for tests): what a syscall gets. */
export function evaluateFilter(program: Buffer, data: { arch: number; nr: number; args?: readonly number[] }): FilterVerdict {
  let acc = 0;
  const arg = (i: number) => (data.args?.[i] ?? 0) >>> 0;
  for (let pc = 0; pc < program.length / 8; ) {
    const o = pc * 8;
    const code = program.readUInt16LE(o);
    const jt = program.readUInt8(o + 2);
    const jf = program.readUInt8(o + 3);
    const k = program.readUInt32LE(o + 4);
    if (code === LD_W_ABS) {
      acc = k === OFF_NR ? data.nr : k === OFF_ARCH ? data.arch : k === OFF_ARG0 ? arg(0) : k === OFF_ARG1 ? arg(1) : 0;
      pc++;
    } else if (code === ALU_AND_K) {
      acc = (acc & k) >>> 0;
      pc++;
    } else if (code === JEQ_K || code === JGE_K || code === JSET_K) {
      const a = acc >>> 0;
      const hit = code === JEQ_K ? a === k : code === JGE_K ? a >= k : (a & k) !== 0;
      pc += 1 + (hit ? jt : jf);
    } else if (code === RET_K) {
      return k === RET_ALLOW ? 'allow' : k === RET_EPERM ? 'eperm' : k === RET_ENOSYS ? 'enosys' : k;
    } else {
      throw new Error(`bpf: unknown opcode ${code}`);
    }
  }
  throw new Error('bpf: fell off the end');
}

export const ARCH = { x86_64: AUDIT_ARCH_X86_64, i386: AUDIT_ARCH_I386 } as const;
