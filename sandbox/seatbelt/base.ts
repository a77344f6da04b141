// The fixed parts of every Seatbelt profile: what any process needs to start, and nothing that lets a
// command look at or reach the rest of the user's session. Filesystem and network rules that depend on
// the policy are generated in profile.ts and come after these (Seatbelt: the last matching rule wins).

/** sysctl names a process may read: hardware and OS facts. Not `kern.proc.all`/`kern.procargs2` (other processes' argv and environment). */
const SYSCTL_NAMES = [
  'hw.activecpu', 'hw.busfrequency_compat', 'hw.byteorder', 'hw.cacheconfig', 'hw.cachelinesize_compat',
  'hw.cpufamily', 'hw.cpufrequency', 'hw.cpufrequency_compat', 'hw.cputype', 'hw.l1dcachesize_compat',
  'hw.l1icachesize_compat', 'hw.l2cachesize_compat', 'hw.l3cachesize_compat', 'hw.logicalcpu', 'hw.logicalcpu_max',
  'hw.machine', 'hw.memsize', 'hw.model', 'hw.ncpu', 'hw.nperflevels', 'hw.packages', 'hw.pagesize',
  'hw.pagesize_compat', 'hw.physicalcpu', 'hw.physicalcpu_max', 'hw.tbfrequency_compat', 'hw.vectorunit',
  'kern.argmax', 'kern.hostname', 'kern.maxfilesperproc', 'kern.maxproc', 'kern.osproductversion', 'kern.osrelease',
  'kern.ostype', 'kern.osvariant_status', 'kern.osversion', 'kern.secure_kernel', 'kern.usrstack64', 'kern.version',
  'machdep.cpu.brand_string', 'sysctl.proc_cputype', 'vm.loadavg',
];
/** Prefixes: CPU feature flags, performance levels, and per-pid / per-group process info (not the full list). */
const SYSCTL_PREFIXES = ['hw.optional.arm.', 'hw.optional.armv8_', 'hw.perflevel', 'kern.proc.pgrp.', 'kern.proc.pid.'];

export const BASE_POLICY = `(version 1)
; Deny by default; every rule below is an explicit allowance or a narrower denial.
; Seatbelt applies the last rule that matches an operation.
(deny default)

; Processes: children run under this same profile; signals and process info only within the sandbox.
; (/bin/ps runs sandboxed too: unsandboxed, \`ps -E\` would print other processes' environments.)
(allow process-exec)
(allow process-fork)
(allow signal (target same-sandbox))
(allow process-info* (target same-sandbox))

; System facts: a named list only.
(allow sysctl-read
${SYSCTL_NAMES.map((n) => `  (sysctl-name "${n}")`).join('\n')}
${SYSCTL_PREFIXES.map((n) => `  (sysctl-name-prefix "${n}")`).join('\n')})
; The JVM reads its CPU type through a write-shaped sysctl call.
(allow sysctl-write (sysctl-name "kern.grade_cputype"))

; Host statistics (os.cpus() in Node, CPU counts) and power-management clients.
(allow mach-host*)
(allow iokit-open (iokit-registry-entry-class "RootDomainUserClient"))
(allow mach-lookup
  (global-name "com.apple.PowerManagement.control")
  (global-name "com.apple.system.opendirectoryd.libinfo")
  (global-name "com.apple.system.notification_center")
  (global-name "com.apple.system.logger")
  (global-name "com.apple.logd"))

; Preferences (defaults, xcodebuild): read-only access to cfprefsd and its shared memory.
(allow user-preference-read)
(allow ipc-posix-shm-read* (ipc-posix-name-prefix "apple.cfprefs."))
(allow mach-lookup
  (global-name "com.apple.cfprefsd.daemon")
  (global-name "com.apple.cfprefsd.agent")
  (local-name "com.apple.cfprefsd.agent"))

; POSIX semaphores (Python multiprocessing) and the OpenMP runtime registry (libomp, PyTorch).
(allow ipc-posix-sem)
(allow ipc-posix-shm-read-data ipc-posix-shm-write-create ipc-posix-shm-write-unlink
  (ipc-posix-name-regex #"^/__KMP_REGISTERED_LIB_[0-9]+$"))

; Pseudo-terminals: a new pty may be opened; a terminal device may be opened for reading or writing
; only with the pty extension Seatbelt gives to ptys created inside the sandbox, so the user's other
; terminals can be neither read nor typed into. ioctl on ttys stays allowed for descriptors the
; command already holds (isatty, window size): ioctl needs an open descriptor, which needs the open.
(allow pseudo-tty)
(allow file-read* file-write* file-ioctl (literal "/dev/ptmx"))
(allow file-read* file-write*
  (require-all (regex #"^/dev/ttys[0-9]+$") (extension "com.apple.sandbox.pty")))
(allow file-ioctl (regex #"^/dev/ttys[0-9]+$"))

; Character devices every process expects.
(allow file-read* (literal "/dev/random") (literal "/dev/urandom") (literal "/dev/zero") (literal "/dev/null"))
(allow file-read* file-write-data (literal "/dev/tty"))
(allow file-write-data (require-all (literal "/dev/null") (vnode-type CHARACTER-DEVICE)))
(allow file-read-data file-write-data (subpath "/dev/fd"))
`;

/** Network on: outbound/inbound IP, DNS and TLS trust services, and the route table. */
export const NETWORK_POLICY = `
; Network access is allowed by the policy.
(allow network-outbound)
(allow network-inbound)
; …but not to Unix sockets by path (only the allowlist below reopens some).
(deny network-outbound (remote unix-socket (subpath "/")))
; Only the AF_SYSTEM sockets platform services use; Unix sockets need the allowlist below.
(allow system-socket (require-all (socket-domain AF_SYSTEM) (socket-protocol 2)))
(allow mach-lookup
  (global-name "com.apple.SystemConfiguration.DNSConfiguration")
  (global-name "com.apple.SystemConfiguration.configd")
  (global-name "com.apple.dnssd.service")
  (global-name "com.apple.SecurityServer")
  (global-name "com.apple.trustd.agent")
  (global-name "com.apple.ocspd")
  (global-name "com.apple.networkd")
  (global-name "com.apple.bsd.dirhelper")
  (global-name "com.apple.system.opendirectoryd.membership"))
(allow sysctl-read (sysctl-name-prefix "net.routetable"))
`;

/**
 * What `:minimal` stands for on macOS when the whole disk is not readable: the system runtime, its
 * libraries and frameworks (readable and mappable as code), the `/etc` `/tmp` `/var` symlinks' own
 * metadata, /Applications, and a few system services. Paths are fixed system paths, not user input.
 */
export const MINIMAL_POLICY = `
; Platform defaults (\`:minimal\`): the system runtime, without the rest of the disk.
(allow file-read* file-test-existence (literal "/"))
(allow file-read-metadata file-test-existence
  (literal "/etc") (literal "/tmp") (literal "/var") (literal "/private/etc/localtime")
  (path-ancestors "/System/Volumes/Data/private"))
(allow file-read* file-test-existence
  (subpath "/bin") (subpath "/sbin") (subpath "/usr/bin") (subpath "/usr/sbin") (subpath "/usr/libexec")
  (subpath "/usr/lib") (subpath "/usr/share") (subpath "/private/etc") (subpath "/etc")
  (subpath "/Library/Apple") (subpath "/Library/Preferences") (subpath "/Library/Filesystems/NetFSPlugins")
  (subpath "/System/Library") (subpath "/System/iOSSupport") (subpath "/private/var/db/timezone")
  (subpath "/private/var/db/DarwinDirectory/local/recordStore.data") (subpath "/Applications")
  (subpath "/opt/homebrew/lib") (subpath "/usr/local/lib"))
(allow file-map-executable
  (subpath "/usr/lib") (subpath "/System/Library") (subpath "/Library/Apple") (subpath "/System/iOSSupport"))
(allow file-read-metadata (subpath "/private/var") (subpath "/var") (literal "/dev") (regex #"^/dev/"))
(allow file-read* (literal "/dev/autofs_nowait") (literal "/dev/dtracehelper"))
(allow file-write-data file-ioctl (literal "/dev/dtracehelper"))
(allow system-mac-syscall (mac-policy-name "vnguard"))
(allow system-fsctl (fsctl-command FSIOC_CAS_BSDFLAGS))
(allow mach-lookup
  (global-name "com.apple.system.DirectoryService.libinfo_v1")
  (global-name "com.apple.system.opendirectoryd.membership")
  (global-name "com.apple.bsd.dirhelper")
  (global-name "com.apple.trustd")
  (global-name "com.apple.trustd.agent")
  (global-name "com.apple.logd.events")
  (global-name "com.apple.diagnosticd"))
(allow ipc-posix-shm-read* (ipc-posix-name "apple.shm.notification_center"))
`;

/** Docker's daemon sockets are never reachable, whatever an allowlist says (a root-equivalent escape). */
export const DOCKER_DENY = `
; Docker's daemon sockets: never, even when an allowlist covers their folder.
(deny network-outbound (remote unix-socket (regex #"/docker\\.sock$")))
(deny network-outbound (remote unix-socket (regex #"/\\.docker/run/")))
`;

/** After the filesystem rules: other terminals stay closed even where the policy grants `/dev` or `/`. */
export const TTY_DENY = `
; Terminals: opening one needs the pty extension, whatever the rules above grant.
(deny file-read* file-write*
  (require-all (regex #"^/dev/ttys[0-9]+$") (require-not (extension "com.apple.sandbox.pty"))))
`;
