// `codex resume` in a real terminal (tmux) over a generated store: newest first, typing filters by
// full-text search, Tab shows archived sessions, Enter resumes; --last and ID skip the picker; no
// terminal gives one line pointing at `codex exec`.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codex } from '../helpers/bin.js';
import { scratch } from '../core/_exec.js';
import { assistantLine, idFor, metaLine, userLine, writeSession } from '../rollout/store-gen.js';
import { HAVE_TMUX, mockServer, terminals } from './_tmux.js';

const mock = mockServer();
const openTerm = terminals();

function store(): { home: string; ws: string; ids: string[]; zebra: string; archived: string } {
  const { home, ws } = scratch(mock(), 'approval_policy = "never"');
  const ids: string[] = [];
  for (let n = 0; n < 40; n++) {
    const id = idFor(n);
    const stamp = `2026-01-${String(1 + Math.floor(n / 10)).padStart(2, '0')}T03-04-${String(n % 60).padStart(2, '0')}`;
    const extra = n === 7 ? [assistantLine('the answer mentions a zebracorn somewhere deep')] : [];
    writeSession(home, stamp, id, [metaLine(id, `/work/proj${n}`), userLine(`task number ${n} about things`), ...extra]);
    ids.push(id);
  }
  const archived = idFor(99);
  writeSession(home, '2026-01-09T00-00-00', archived, [metaLine(archived, '/work/old'), userLine('an archived errand')], { archived: true });
  return { home, ws, ids, zebra: ids[7]!, archived };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const open = (args: string[], home: string, cwd: string) => openTerm(args, { home, cwd, cols: 120, rows: 24 });

describe.skipIf(!HAVE_TMUX)('codex resume picker (tmux)', () => {
  it('lists newest first with date, cwd and provider; typing searches the content; Enter resumes', async () => {
    const s = store();
    const t = open(['resume'], s.home, s.ws);
    const first = await t.waitFor(/task number 39/);
    const rows = first.split('\n').filter((l) => /task number \d+/.test(l));
    expect(rows[0]).toMatch(/^› .*\/work\/proj39\s+mock\s+task number 39 about things/);
    expect(rows[1]).toMatch(/task number 38/);
    expect(rows.length).toBeGreaterThanOrEqual(15); // a 24-row screen, filled
    t.type('zebracorn');
    const found = await t.waitFor((x) => /zebracorn/.test(x.split('\n').slice(2).join('\n')) && !/searching/.test(x));
    expect(found).toMatch(/1 sessions/);
    expect(found).not.toMatch(/task number 39/);
    t.keys('Enter');
    await t.waitFor(new RegExp(`resumed session ${s.zebra}`));
    mock().push({ kind: 'message', text: 'continuing the zebra thread' });
    t.type('go on');
    t.keys('Enter');
    await t.waitFor(/continuing the zebra thread/);
    const body = JSON.stringify(mock().requests.at(-1)!.body);
    expect(body).toContain('task number 7 about things');
  });

  it('resized narrower (while painted early, then under Ink): drawn again at the new width, header once, still searching', async () => {
    const s = store();
    const t = openTerm(['resume'], { home: s.home, cwd: s.ws, cols: 120, rows: 20 });
    // Resized right away (the page painted before Ink loads) and once more later (Ink's picker).
    await t.waitFor(/task number 39/);
    t.resize(70, 20);
    await sleep(800);
    t.resize(60, 20);
    const narrow = await t.waitFor((x) => /^› .*proj39/m.test(x) && x.split('\n').every((l) => [...l].length <= 60));
    const lines = narrow.split('\n').filter((l) => l.trim());
    expect(lines[0]).toMatch(/^Resume a session/);
    expect(lines.filter((l) => l.startsWith('Resume a session'))).toHaveLength(1);
    expect(lines.filter((l) => /\/work\/proj\d+ /.test(l)).length).toBeGreaterThanOrEqual(12);
    t.type('zebracorn');
    await t.waitFor(/search: zebracorn\s+1 sessions\n› .*\/work\/proj7 /);
  });

  it('Tab toggles archived sessions; Esc leaves', async () => {
    const s = store();
    const t = open(['resume'], s.home, s.ws);
    await t.waitFor(/task number 39/);
    t.keys('Tab');
    const arch = await t.waitFor(/an archived errand/);
    expect(arch).toContain('(archived)');
    expect(arch).not.toMatch(/task number/);
    t.keys('Escape');
    await t.waitFor(/\[exit 0\]/);
    // Leaving the picker made no session.
    expect(codex(['sessions', 'list', '--all', '--limit', '100'], { env: { ...process.env, CODEX_HOME: s.home } }).stdout.trim().split('\n')).toHaveLength(41);
  });

  it('--last and ID skip the picker', async () => {
    const s = store();
    const t = open(['resume', '--last'], s.home, s.ws);
    await t.waitFor(new RegExp(`resumed session ${s.ids[39]}`));
    const t2 = open(['resume', s.ids[3]!], s.home, s.ws);
    await t2.waitFor(new RegExp(`resumed session ${s.ids[3]}`));
  });
});

describe('without a terminal', () => {
  it.each([[[]], [['resume']], [['a prompt here']]])('codex %j says to use codex exec, in one line', (args) => {
    const { home, ws } = scratch(mock());
    const r = codex(args, { env: { ...process.env, CODEX_HOME: home }, cwd: ws });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^codex: the interactive UI needs a terminal on stdin and stdout; in scripts use `codex exec .*PROMPT` \[NOT_A_TERMINAL\]\n$/);
  });
});
