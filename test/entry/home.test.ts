// A missing or unreadable CODEX_HOME: one warning line with its path for commands that only read
// the store, an error naming it for commands that need a session from it; never a silent empty answer.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { binsForOthers, codex, tempDir } from '../helpers/bin.js';

const nobody = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']).status === 0;

describe('CODEX_HOME missing or unreadable', () => {
  const missing = path.join(tempDir('home-'), 'does-not-exist');
  const env = { ...process.env, CODEX_HOME: missing };

  it.each([['sessions', 'list'], ['sessions', 'search', 'x'], ['sessions', 'storage'], ['sessions', 'doctor']])('codex %s %s on a missing store: one warning line naming it', (...args) => {
    const r = codex(args, { env });
    expect(r.status).toBe(0);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines[0]).toBe(`codex: warning: CODEX_HOME ${missing} does not exist: no sessions were recorded there`);
    expect(lines.filter((l) => l.includes('warning'))).toHaveLength(1);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it.each([['sessions', 'show', 'x'], ['sessions', 'path', 'x'], ['sessions', 'export', 'x'], ['sessions', 'prune', '--older-than', '1d'], ['sessions', 'compress'], ['archive', 'x'], ['unarchive', 'x'], ['exec', 'resume', 'x', 'hi']])(
    'codex %s %s … needs it: an error naming it',
    (...args) => {
      const r = codex(args, { env });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`codex: CODEX_HOME ${missing} does not exist (set CODEX_HOME to the folder holding sessions/) [CODEX_HOME_MISSING]\n`);
      expect(fs.existsSync(missing)).toBe(false);
    },
  );

  it('the default ~/.codex is named too when CODEX_HOME is unset', () => {
    const home = tempDir('userhome-');
    const r = codex(['sessions', 'list'], { env: { ...process.env, HOME: home, CODEX_HOME: '' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`codex: warning: the session store (CODEX_HOME unset) ${path.join(home, '.codex')} does not exist`);
  });

  it('a file, not a folder: an error', () => {
    const f = path.join(tempDir(), 'file');
    fs.writeFileSync(f, '');
    const r = codex(['sessions', 'list'], { env: { ...process.env, CODEX_HOME: f } });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`codex: CODEX_HOME ${f} is not a directory [CODEX_HOME_MISSING]\n`);
  });

  it.skipIf(!nobody)(`an unreadable store (as nobody): an error, not an empty list${nobody ? '' : ' (skipped: cannot switch to the nobody user (needs root and setpriv))'}`, () => {
    const d = tempDir('private-');
    fs.chmodSync(d, 0o755);
    const home = path.join(d, 'home');
    fs.mkdirSync(home, { mode: 0o700 });
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', binsForOthers().codex, 'sessions', 'list'], { env: { ...process.env, CODEX_HOME: home }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`codex: cannot read CODEX_HOME ${home}: EACCES [CODEX_HOME_UNREADABLE]\n`);
  });
});
