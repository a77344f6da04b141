// Every command and subcommand answers -h/--help with usage, options and an example, rendered from
// the flag table its parser uses; flag typos get "did you mean"; command words of the real Codex
// CLI that we lack are refused with a pointer instead of going to the model as a prompt.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../core/cli/commands.js';
import { parseArgs, renderHelp, HelpRequested, type FlagSpec } from '../../protocol/index.js';
import { APPLY_PATCH_BIN, codex, run, tempDir } from '../helpers/bin.js';

// (every command, `codex sandbox` included, renders its help from its flag table)
const PENDING = new Set<string>();

const COMMAND_LINES: string[][] = [
  [],
  ...COMMANDS.filter((c) => !PENDING.has(c.name)).map((c) => [c.name]),
  ...['list', 'search', 'show', 'path', 'storage', 'export', 'prune', 'compress', 'doctor'].map((s) => ['sessions', s]),
  ['features', 'list'],
  ['features', 'enable'],
  ['features', 'disable'],
  ['exec', 'resume'],
  ['debug', 'native'],
];

describe('--help everywhere', () => {
  const env = { ...process.env, CODEX_HOME: tempDir('help-home-') };
  for (const words of COMMAND_LINES) {
    for (const flag of ['--help', '-h']) {
      it(`codex ${[...words, flag].join(' ')}`, () => {
        const r = codex([...words, flag], { env });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.stdout).toMatch(/^Usage: (codex|apply_patch)/);
        expect(r.stdout).toMatch(/\nOptions:\n/);
        expect(r.stdout).toMatch(/\nExamples?:\n  \S/);
        expect(r.stdout).toContain('-h, --help');
      });
    }
  }

  it('`codex help X` is `codex X --help`', () => {
    expect(codex(['help', 'sessions']).stdout).toBe(codex(['sessions', '--help']).stdout);
    expect(codex(['sessions', 'help', 'list']).stdout).toBe(codex(['sessions', 'list', '--help']).stdout);
  });

  it('apply_patch -h and --help', () => {
    for (const f of ['-h', '--help']) {
      const r = run(APPLY_PATCH_BIN, [f]);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^Usage: apply_patch \[--dry-run\] \[PATCH\]\n[\s\S]*\nOptions:\n[\s\S]*--dry-run[\s\S]*\nExample:\n/);
    }
  });

  it('help after `--` is an argument, not a request for help', () => {
    const r = run(APPLY_PATCH_BIN, ['--', '--help'], { cwd: tempDir() });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^apply_patch: .*\[PATCH_[A-Z_]+\]\n$/);
  });
});

describe('the help text comes from the parser\'s table', () => {
  const table: FlagSpec[] = [
    { name: 'alpha', short: 'a', kind: 'bool', description: 'first' },
    { name: 'beta', kind: 'string', value: 'DIR', description: 'second', aliases: ['bet'] },
    { name: 'gamma', kind: 'multi', value: 'X', description: 'third' },
    { name: 'secret', kind: 'bool', hidden: true },
  ];
  const help = { usage: 'prog [OPTIONS]', summary: 'Does things.', example: 'prog --alpha' };

  it('lists every visible flag with its value and description, and the example', () => {
    const text = renderHelp(help, table);
    expect(text).toBe(
      [
        'Usage: prog [OPTIONS]',
        '',
        'Does things.',
        '',
        'Options:',
        '  -a, --alpha     first',
        '      --beta DIR  second (also --bet)',
        '      --gamma X   third (repeatable)',
        '  -h, --help      show this help',
        '',
        'Example:',
        '  prog --alpha',
        '',
      ].join('\n'),
    );
  });

  it('-h / --help throw HelpRequested with that text; a typo names the close flag', () => {
    for (const argv of [['-h'], ['--alpha', '--help'], ['x', '-h']]) {
      let thrown: unknown;
      try {
        parseArgs(argv, table, { help });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(HelpRequested);
      expect((thrown as HelpRequested).text).toBe(renderHelp(help, table));
    }
    expect(() => parseArgs(['--alhpa'], table, { help })).toThrow(expect.objectContaining({ code: 'UNKNOWN_FLAG', message: expect.stringContaining("did you mean '--alpha'?") }));
    expect(() => parseArgs(['-beta', 'x'], table, { help })).toThrow(expect.objectContaining({ code: 'UNKNOWN_FLAG', message: expect.stringContaining("did you mean '--beta'?") }));
  });
});

describe('typos and command words we lack', () => {
  it.each([
    [['exec', '--skip-git-repo-chek', 'x'], "did you mean '--skip-git-repo-check'?"],
    [['sessions', 'list', '--archvied'], "did you mean '--archived'?"],
    [['sessions', 'prune', '--older-then', '1d'], "did you mean '--older-than'?"],
    [['sessions', 'export', 'x', '--fromat', 'md'], "did you mean '--format'?"],
    [['archive', '--jsno', 'x'], "did you mean '--json'?"],
    [['features', 'list', '--jsn'], "did you mean '--json'?"],
    [['sesions', 'list'], "did you mean 'sessions'?"],
    [['features', 'lst'], "did you mean 'list'?"],
    [['sessions', 'serach', 'x'], "did you mean 'search'?"],
  ])('codex %j → did you mean', (args, text) => {
    const r = codex(args, { env: { ...process.env, CODEX_HOME: tempDir() } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(text);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('apply_patch --dryrun x → did you mean --dry-run', () => {
    const r = run(APPLY_PATCH_BIN, ['--dryrun', 'x'], { cwd: tempDir() });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("apply_patch: unknown flag '--dryrun' (did you mean '--dry-run'?) (see `apply_patch --help`) [UNKNOWN_FLAG]\n");
  });

  it('a patch text that starts with "-" is the patch, not a flag', () => {
    const r = run(APPLY_PATCH_BIN, ['--- a/x\n+++ b/x\n'], { cwd: tempDir() });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^apply_patch: .*\[PATCH_[A-Z_]+\]\n$/);
  });

  it.each([['exec', 'review'], ['exec', '--json', 'review'], ['exec', 'fork'], ['review'], ['login'], ['mcp', 'list']])(
    'codex %j is refused with a pointer, before any model call',
    (...words) => {
      // No model is configured: reaching the model would fail differently.
      const r = codex(words, { env: { ...process.env, CODEX_HOME: tempDir() }, cwd: tempDir() });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^codex: 'codex [a-z -]+' is not supported by codex-ts: .+ \(README: "Not supported yet"\) \[NOT_SUPPORTED\]\n$/);
    },
  );

  it('`codex exec -- review` sends the word as the prompt', () => {
    const r = codex(['exec', '--skip-git-repo-check', '--', 'review'], { env: { ...process.env, CODEX_HOME: tempDir(), OPENAI_API_KEY: '' }, cwd: tempDir() });
    expect(r.stderr).not.toContain('NOT_SUPPORTED');
  });
});
