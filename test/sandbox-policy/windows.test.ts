// Windows capability decision: (policy, elevated?) → backend | refusal, over policies written the way a
// Windows user writes them (`C:\…`, drive letters, UNC, mixed separators and case). This table is how
// the Windows decision is verified: nothing here runs on Windows.
import { describe, expect, it } from 'vitest';
import { CodexError } from '../../protocol/index.js';
import { decideRoute, decideWindows, resolvePolicy, type Access, type EffectivePolicy, type FsRule, type WindowsDecision } from '../../sandbox/index.js';
import { internalToWindows, windowsToInternal } from '../../sandbox/policy/windows-paths.js';

const sum = (d: WindowsDecision): string => (d.ok ? `${d.backend}/${d.mode}` : `refuse:${d.code}`);
const ENV = { USERPROFILE: 'C:\\Users\\me', TEMP: 'C:\\Users\\me\\AppData\\Local\\Temp' };
const TEMP = ENV.TEMP;

function win(config: Record<string, unknown>, cwd = 'C:\\Users\\me\\proj'): EffectivePolicy {
  return resolvePolicy({ config, cwd, env: ENV, os: 'windows' });
}
const prof = (fsTable: Record<string, unknown>) => ({ default_permissions: 'p', permissions: { p: { filesystem: fsTable } } });

// [case, policy, elevated, unelevated]
const CASES: Array<[string, () => EffectivePolicy, string, string]> = [
  ['danger-full-access', () => win({ sandbox_mode: 'danger-full-access' }), 'none/unsandboxed', 'none/unsandboxed'],
  ['legacy read-only, C:\\ cwd', () => win({ sandbox_mode: 'read-only' }), 'elevated/legacy', 'restricted-token/legacy'],
  ['legacy workspace-write, C:\\ cwd', () => win({ sandbox_mode: 'workspace-write' }), 'elevated/legacy', 'restricted-token/legacy'],
  ['legacy workspace-write, UNC cwd', () => win({ sandbox_mode: 'workspace-write' }, '\\\\fileserver\\share\\proj'), 'elevated/legacy', 'restricted-token/legacy'],
  ['legacy workspace-write, \\\\?\\ long-path cwd', () => win({ sandbox_mode: 'workspace-write' }, '\\\\?\\C:\\Users\\me\\proj'), 'elevated/legacy', 'restricted-token/legacy'],
  ['full-disk write (:root = write)', () => win(prof({ ':root': 'write' })), 'refuse:SANDBOX_UNSUPPORTED', 'refuse:SANDBOX_UNSUPPORTED'],
  ['full-disk write with a read-only carveout', () => win(prof({ ':root': 'write', 'C:\\Windows': 'read' })), 'refuse:SANDBOX_UNSUPPORTED', 'refuse:SANDBOX_UNSUPPORTED'],
  ['exact readable roots (:minimal + workspace)', () => win(prof({ ':minimal': 'read', ':workspace_roots': 'write' })), 'elevated/split', 'refuse:SANDBOX_UNSUPPORTED'],
  // Round-trips as legacy workspace-write with writable_roots = [D:\data]: the legacy model covers it.
  ['full read, extra writable root on another drive', () => win(prof({ ':root': 'read', ':workspace_roots': 'write', 'D:\\data': 'write' })), 'elevated/legacy', 'restricted-token/legacy'],
  ['full read, only another root writable (cwd read-only)', () => win(prof({ ':root': 'read', 'D:\\data': 'write' })), 'elevated/split', 'refuse:SANDBOX_UNSUPPORTED'],
  ['full read, workspace + %TEMP% writable: the legacy set', () => win(prof({ ':root': 'read', ':workspace_roots': 'write', ':tmpdir': 'write' })), 'elevated/legacy', 'restricted-token/legacy'],
  [
    'full read, legacy roots, read-only carveout under them (mixed separators)',
    () => win(prof({ ':root': 'read', ':workspace_roots': { '.': 'write', 'vendor\\lib': 'read' } })),
    'elevated/split',
    'restricted-token/split',
  ],
  ['none carveout under a writable root (C:\\ path)', () => win(prof({ ':root': 'read', 'C:\\Users\\me\\proj': 'write', 'C:\\Users\\me\\proj\\secret': 'none' })), 'refuse:SANDBOX_UNSUPPORTED', 'refuse:SANDBOX_UNSUPPORTED'],
  ['none carveout in the read region', () => win(prof({ ':root': 'read', ':workspace_roots': 'write', 'C:\\Users\\me\\.ssh': 'none' })), 'refuse:SANDBOX_UNSUPPORTED', 'refuse:SANDBOX_UNSUPPORTED'],
  ['none glob that matches nothing yet', () => win(prof({ ':root': 'read', ':workspace_roots': { '.': 'write', '**/*.pem': 'none' } })), 'refuse:SANDBOX_UNSUPPORTED', 'refuse:SANDBOX_UNSUPPORTED'],
  [
    'writable descendant reopened under a read-only carveout, C:\\ paths',
    () => win(prof({ ':root': 'read', 'C:\\Users\\me\\proj': 'write', 'C:\\Users\\me\\proj\\docs': 'read', 'C:\\Users\\me\\proj\\docs\\gen': 'write' })),
    'refuse:SANDBOX_UNSUPPORTED',
    'refuse:SANDBOX_UNSUPPORTED',
  ],
  [
    'the same, with mixed separators and case (one folder, three spellings)',
    () => win(prof({ ':root': 'read', 'c:/users/ME/proj': 'write', 'C:\\Users\\me/PROJ\\docs': 'read', 'C:/Users\\Me\\proj\\Docs/gen': 'write' })),
    'refuse:SANDBOX_UNSUPPORTED',
    'refuse:SANDBOX_UNSUPPORTED',
  ],
  [
    'writable descendant reopened under none, UNC paths',
    () => win(prof({ ':root': 'read', '\\\\srv\\share\\ws': 'write', '\\\\srv\\share\\ws\\a': 'none', '//srv/share/ws/a/b': 'write' }), '\\\\srv\\share\\ws'),
    'refuse:SANDBOX_UNSUPPORTED',
    'refuse:SANDBOX_UNSUPPORTED',
  ],
];

describe('Windows capability decision (policies written with Windows paths)', () => {
  it.each(CASES)('%s', (_name, make, elevated, unelevated) => {
    const p = make();
    expect(sum(decideWindows(p, { elevated: true, tempDir: TEMP }))).toBe(elevated);
    expect(sum(decideWindows(p, { elevated: false, tempDir: TEMP }))).toBe(unelevated);
  });

  it('a split policy written with `/` paths and its `C:\\` twin get the same answer (no fail-open by spelling)', () => {
    const R = (path: string, access: Access): FsRule => ({ path, access });
    const slash: EffectivePolicy = { unrestricted: false, network: false, legacyEquivalent: false, cwd: '/ws', rules: [R('/', 'read'), R('/ws', 'write'), R('/ws/docs', 'read'), R('/ws/docs/gen', 'write')] };
    const drive: EffectivePolicy = {
      ...slash,
      cwd: 'C:\\ws',
      rules: [R('/', 'read'), R('C:\\ws', 'write'), R('c:/WS/docs', 'read'), R('C:\\ws\\docs\\gen', 'write')],
    };
    for (const elevated of [true, false]) {
      expect(sum(decideWindows(slash, elevated))).toBe('refuse:SANDBOX_UNSUPPORTED');
      expect(sum(decideWindows(drive, elevated))).toBe('refuse:SANDBOX_UNSUPPORTED');
    }
    const garbage: EffectivePolicy = { ...slash, rules: [R('/', 'read'), R('ws\\relative', 'write')] };
    expect(sum(decideWindows(garbage, true))).toBe('refuse:SANDBOX_UNSUPPORTED');
  });

  it('refusals say why (fail closed, never weaker)', () => {
    const d = decideWindows(win(prof({ ':root': 'write' })), true);
    expect(!d.ok && d.reason).toMatch(/whole disk.*refusing to run with weaker enforcement/);
    const n = decideWindows(win(prof({ ':root': 'read', ':workspace_roots': { '.': 'write', secret: 'none' } })), true);
    expect(!n.ok && n.reason).toMatch(/none.*refusing/);
    const e = decideWindows(win(prof({ ':minimal': 'read', ':workspace_roots': 'write' })), false);
    expect(!e.ok && e.reason).toMatch(/elevated/);
    const r = decideWindows(win(prof({ ':root': 'read', 'D:\\data': 'write' })), false);
    expect(!r.ok && r.reason).toMatch(/legacy workspace-write roots/);
  });

  it(':minimal asks the elevated backend for the platform system read roots', () => {
    const p = win(prof({ ':minimal': 'read', ':workspace_roots': { '.': 'write' } }));
    expect(p.detail!.minimalReadRoots.map(internalToWindows)).toEqual(['C:\\windows', 'C:\\program files', 'C:\\program files (x86)', 'C:\\programdata']);
    const d = decideWindows(p, true);
    expect(d.ok && d.backend === 'elevated' && d.systemReadRoots).toBe(true);
  });

  it('the roots a backend would enforce, protected names included even when missing', () => {
    const d = decideWindows(win(prof({ ':root': 'read', ':workspace_roots': { '.': 'write', vendor: 'read' } })), { elevated: false, tempDir: TEMP });
    if (!d.ok || d.backend === 'none') throw new Error('expected a backend');
    expect(d.roots.fullRead).toBe(true);
    expect(d.roots.writeRoots.map(internalToWindows)).toEqual(['C:\\users\\me\\proj']);
    expect(d.roots.readOnlyCarveouts.map(internalToWindows)).toEqual(
      expect.arrayContaining(['C:\\users\\me\\proj\\.git', 'C:\\users\\me\\proj\\.agents', 'C:\\users\\me\\proj\\.codex', 'C:\\users\\me\\proj\\vendor']),
    );
  });

  it('the route passes %TEMP% on to the decision', () => {
    const p = win(prof({ ':root': 'read', ':workspace_roots': 'write', 'C:\\Users\\me\\AppData\\Local\\Temp': 'write', 'C:\\Users\\me\\proj\\docs': 'read' }));
    const with_ = decideRoute(p, { os: 'windows', elevated: false, windowsTempDir: TEMP });
    const without = decideRoute(p, { os: 'windows', elevated: false });
    expect(with_.ok && with_.backend).toBe('windows-restricted-token');
    expect(without.ok).toBe(false);
  });
});

describe('Windows path syntax', () => {
  it.each([
    ['C:\\Users\\me', '/c:/users/me'],
    ['c:/Users/me/', '/c:/users/me'],
    ['C:\\Users/me\\..\\you\\.\\x', '/c:/users/you/x'],
    ['C:\\', '/c:'],
    ['\\\\server\\share\\dir', '/unc:/server/share/dir'],
    ['//server/share', '/unc:/server/share'],
    ['\\\\?\\C:\\Long\\Path', '/c:/long/path'],
    ['\\\\?\\UNC\\server\\share\\x', '/unc:/server/share/x'],
  ])('%s → %s', (given, internal) => {
    expect(windowsToInternal(given)).toBe(internal);
  });

  it.each(['C:relative', '\\rooted\\no-drive', 'relative\\path', '\\\\.\\pipe\\x', '\\\\server', 'C:\\a\\b:c', 'C:\\a\\b*'])('%s is refused with SANDBOX_BAD_PATH', (p) => {
    expect(() => windowsToInternal(p)).toThrow(CodexError);
  });

  it('a C:\\ cwd is accepted (it was rejected as "not absolute"); a POSIX or relative cwd is not', () => {
    expect(win({ sandbox_mode: 'read-only' }).cwd).toBe('/c:/users/me/proj');
    expect(() => win({ sandbox_mode: 'read-only' }, 'proj')).toThrow(/absolute Windows path/);
    expect(() => win({ sandbox_mode: 'read-only' }, '/home/me')).toThrow(/absolute Windows path/);
  });

  it('workspace-write on Windows: cwd and %TEMP% writable, .git/.codex read-only; ~ is USERPROFILE', () => {
    const p = win({ sandbox_mode: 'workspace-write', sandbox_workspace_write: { writable_roots: ['~\\cache', 'D:\\out'] } });
    expect(p.detail!.writableRoots.map(internalToWindows).sort()).toEqual(['C:\\users\\me\\appdata\\local\\temp', 'C:\\users\\me\\cache', 'C:\\users\\me\\proj', 'D:\\out']);
  });
});

describe('internal form round trip', () => {
  it('`..` in an internal path never climbs above its drive or share', () => {
    expect(windowsToInternal('/c:/a/../..')).toBe('/c:');
    expect(windowsToInternal('/unc:/srv/share/../../x')).toBe('/unc:/srv/share/x');
    expect(internalToWindows(windowsToInternal('C:\\Program Files (x86)\\Tool'))).toBe('C:\\program files (x86)\\tool');
    expect(internalToWindows('/')).toBe('(every drive)');
  });
});
